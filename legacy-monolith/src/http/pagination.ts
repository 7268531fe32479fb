// The shared implementation (the services reproduce this contract with the same code).
export { paginationQuery, paginated, type Page } from '@ficus/common';

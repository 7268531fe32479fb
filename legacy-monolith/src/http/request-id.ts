// The shared implementation (the services use the same one).
export { requestId } from '@ficus/common';

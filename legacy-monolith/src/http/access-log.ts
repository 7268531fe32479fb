// The shared implementation (the services use the same one).
export { accessLog } from '@ficus/common';

// Shared by the workflow bundle and Node code: the Temporal header that carries the checkout's
// request id (x-request-id) from the orders service through the saga to its activities.
// Plain data only (the workflow bundle imports it).

/** Temporal header name; its payload is the request id as a JSON string. */
export const requestIdHeader = 'ficus-request-id';

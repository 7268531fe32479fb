// The shared test client (cookie jar, optional default headers).
export { createHttpClient, type HttpClient, type HttpResponse } from '@ficus/common/testing';

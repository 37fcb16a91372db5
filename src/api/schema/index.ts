/** Strict decoding of request bodies into the served kinds (see decode.ts). */
export { decodeError } from './decode.ts';

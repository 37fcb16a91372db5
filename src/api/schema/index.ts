/** Strict decoding of request bodies, as the API server does it. */
export { decodeError, decodeWithValidation, type DecodeResult, type FieldValidation } from './decode.ts';

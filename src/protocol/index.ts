export * from "./codes.ts";
export * from "./messages.ts";
export { decodeClientMessage, peekId, type Decoded } from "./decode.ts";

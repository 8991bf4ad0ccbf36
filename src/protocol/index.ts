export * from "./codes.ts";
export * from "./messages.ts";
export { decodeClientMessage, type Decoded } from "./decode.ts";

/**
 * How a client says which of our protocol versions it speaks. The stock
 * y-websocket provider sends nothing and is served plain y-protocols; our
 * client adds `?protocol=<PROTOCOL_VERSION>` to the sync URL (the provider's
 * `params` option) and then receives a `hello` Status notice first.
 */

/** Query parameter of the sync URL carrying the client's PROTOCOL_VERSION. */
export const PROTOCOL_PARAM = 'protocol'

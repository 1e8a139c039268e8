/**
 * Sends are counted per room; those of a client that does not read what it
 * receives (ClientSpec.reads false) under the room's id plus this suffix, since
 * every reader of the room, not every reader but the sender, should receive them.
 */
export const UNREAD_SENDER = '\u0000unread'

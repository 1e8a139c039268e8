// The part of negotiator (express's own content negotiation, used directly for its `preferred` option) that we call.
declare module 'negotiator' {
  import type { IncomingMessage } from 'node:http'
  class Negotiator {
    constructor(request: Pick<IncomingMessage, 'headers'>)
    /** The acceptable codings of `available`, best first; ties go to the order of `preferred`. */
    encodings(available?: string[], options?: { preferred?: string[] }): string[]
  }
  export default Negotiator
}

// Worker threads do not inherit tsx's module hooks from `node --import tsx`;
// register them here, then load the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'
register()
await import(workerData.entry)

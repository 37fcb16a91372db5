/**
 * Registers the network simulation's controller with the reconcile loop. Importing this module
 * (the exec, logs and network commands do) is enough; the process model and the attach handler
 * are the runtime's defaults already (src/runtime/process.ts, src/runtime/attach.ts).
 */
import { registerController } from '../controllers/registry.ts';
import { networkRecordsCleaner } from './records.ts';

registerController(networkRecordsCleaner);

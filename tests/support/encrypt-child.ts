// Encrypts a plain business file in place in a process of its own, killed with SIGKILL when it
// reaches a given step (tests/unit/core/encryption.test.ts). Arguments: data folder, migrations
// folder, business id, step ("none" to let it finish). The key is stored first, as the app does.
import { encryptInPlace, fileKey, type EncryptStep } from '../../src-main/core/db/keyring';
import { Businesses } from '../../src-main/core/businesses';
import { silentLogger } from '../../src-main/core/ports';

const [dataDir, migrationsDir, businessId, killAt] = process.argv.slice(2) as [string, string, string, EncryptStep | 'none'];
const businesses = new Businesses({ dataDir, migrationsDir }, silentLogger);
await businesses.unlock(businessId);
const file = businesses.registry.fileFor(businessId);
encryptInPlace(file, fileKey(file)!, {
  onStep: (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
businesses.closeAll();

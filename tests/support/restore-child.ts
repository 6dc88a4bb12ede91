// A restore in a process of its own, killed with SIGKILL when it reaches a
// given step (tests/unit/backup/restore-crash.test.ts). Arguments: data
// folder, migrations folder, backup file, step ("none" to let it finish).
import { restoreBackup, type RestoreStep } from '../../src-main/core/backup/backup-service';
import { Businesses } from '../../src-main/core/businesses';
import { newId } from '../../src-main/core/ids';
import { silentLogger } from '../../src-main/core/ports';
import { BACKUP_PASSPHRASE } from './core';

const [dataDir, migrationsDir, file, killAt] = process.argv.slice(2) as [string, string, string, RestoreStep | 'none'];
const paths = { dataDir, migrationsDir };
const businesses = new Businesses(paths, silentLogger);
await businesses.unlockAll();
// The new business's data key is stored first, as the backup.restore handler does.
const id = newId();
await businesses.createKey(id);
const restored = restoreBackup(
  businesses,
  paths,
  file,
  () => {},
  (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
  { passphrase: BACKUP_PASSPHRASE, id },
);
businesses.closeAll();
process.stdout.write(JSON.stringify(restored));

/** One of several processes that open the same new database at the same moment (see open-race.test.ts). */
import { openDatabase } from '../../src-main/engine/db/database.js';

const [file, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // Spin until the agreed moment so every process hits the new file together.
}
openDatabase(file!).close();

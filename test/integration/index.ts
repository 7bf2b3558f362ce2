// Entry point that VS Code loads as `extensionTestsPath`: runs every compiled *.test.js beside it with mocha.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, runConfig } from './util';

export function run(): Promise<void> {
  const config = runConfig();
  // Lets the code-server test host tell the suite's output from the workbench's start-up log.
  if (config.host === 'code-server') console.log('NFW_TESTS_STARTED');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 20_000, color: false, grep: config.grep });
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        removeTempDirs();
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (runner.total === 0) reject(new Error(`no integration tests ran${config.grep ? ` (--grep ${config.grep})` : ''}`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}

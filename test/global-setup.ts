import type { TestProject } from 'vitest/node';
import { buildPackageSet } from './testbed/build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder of the small generated Nix package set (a `--source` for Lamina). */
    testbedDir: string;
    /** Its root attributes (Debian's bash, gzip, sed, grep). */
    testbedRoots: string[];
    /** Attribute -> store path, for every attribute of the set. */
    testbedOutPaths: Record<string, string>;
  }
}

export default function setup(project: TestProject): void {
  const set = buildPackageSet('small');
  project.provide('testbedDir', set.dir);
  project.provide('testbedRoots', [...set.roots]);
  project.provide('testbedOutPaths', Object.fromEntries(set.outPaths));
}

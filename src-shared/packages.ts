/** The package index as plain data. No Node imports: the IPC contract and the renderer use these. */

export interface IndexedSource {
  readonly source: string;
  readonly revision: string;
  readonly packages: number;
  readonly loadedAt: number;
}

export interface PackageHit {
  readonly attrPath: string;
  readonly pname: string;
  readonly version: string;
  readonly description: string;
}

export interface LoadProgress {
  readonly phase: 'listing' | 'indexing';
  readonly done: number;
  readonly total: number;
}

/** Saved recipes as plain data. No Node imports: the IPC contract and the renderer use these. */

export interface SavedRecipe<Body = unknown> {
  readonly id: number;
  readonly name: string;
  readonly body: Body;
  readonly updatedAt: number;
}

export interface RecipeListing {
  readonly id: number;
  readonly name: string;
  readonly updatedAt: number;
}

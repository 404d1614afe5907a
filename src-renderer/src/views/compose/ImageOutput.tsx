import { useId } from 'react';
import { LAYER_COMPRESSIONS, type LayerCompression } from '../../../../src-shared/compressions';
import { useRecipe } from '../../store/recipe';
import './image-output.css';

const COMPRESSION_LABELS: Record<LayerCompression, string> = {
  gzip: 'gzip (every registry and runtime reads it)',
  zstd: 'zstd (smaller and faster; newer runtimes)',
  none: 'none (plain tar)',
};

const COMPRESSIONS = LAYER_COMPRESSIONS.map((value) => ({ value, label: COMPRESSION_LABELS[value] }));

/** What the build makes: the image's name in the store, its layer compression, and whether it may lack its own entrypoint (a base image). */
export function ImageOutput() {
  const id = useId();
  const recipe = useRecipe((s) => s.recipe);
  const update = useRecipe((s) => s.update);
  const defaultName = recipe.attrs.join('-');
  return (
    <fieldset className="card image-config">
      <legend>Image</legend>
      <label htmlFor={`${id}-name`}>
        Name in the store
        <input
          id={`${id}-name`}
          value={recipe.name ?? ''}
          placeholder={defaultName ? `default: ${defaultName}` : 'default: the packages joined by -'}
          // Empty goes back to the default name (undefined is dropped when the recipe is sent or saved).
          onChange={(e) => update({ name: e.target.value.trim() || undefined })}
        />
      </label>
      <fieldset className="compression-choice wide">
        <legend>Layer compression</legend>
        {COMPRESSIONS.map((c) => (
          <label key={c.value} className="check">
            <input type="radio" name={`${id}-compression`} value={c.value} checked={recipe.compression === c.value} onChange={() => update({ compression: c.value })} />
            {c.label}
          </label>
        ))}
      </fieldset>
      <label className="check wide" htmlFor={`${id}-base`}>
        <input
          id={`${id}-base`}
          type="checkbox"
          checked={recipe.allowMissingEntrypoint ?? false}
          onChange={(e) => update({ allowMissingEntrypoint: e.target.checked })}
        />
        A base image: other images add the program it runs, so it may name one it does not hold
      </label>
    </fieldset>
  );
}

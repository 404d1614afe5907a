import type { StoreImageEntry } from '../../../../src-shared/images';
import { formatBytes } from '../../format';

/** When an image was built, short enough for a menu: the time today, else the date. */
function builtAt(ms: number, now = new Date()): string {
  const at = new Date(ms);
  return at.toDateString() === now.toDateString() ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleDateString();
}

/**
 * The image to push, picked from the local store (newest first). The push job
 * reads images from the store by name only, so nothing else is offered here;
 * an `oci:` or `docker-archive:` image is pushed with `lamina push` or opened in Images.
 */
export function ImagePicker({ id, images, value, onChange }: { id: string; images: readonly StoreImageEntry[] | null; value: string; onChange: (name: string) => void }) {
  return (
    <label htmlFor={id}>
      Image
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={!images || images.length === 0}>
        {images === null ? <option value="">Reading the store…</option> : null}
        {images?.length === 0 ? <option value="">No images in the store yet: build one in Build</option> : null}
        {images?.map((image) => (
          <option key={image.name} value={image.name}>
            {image.name} · {formatBytes(image.size)} · built {builtAt(image.createdAt)}
          </option>
        ))}
      </select>
    </label>
  );
}

import { formatBytes } from '../format';
import { useCurrentImage, useImages } from '../store/images';
import { ImageDetail } from './images/ImageDetail';
import { OpenPanel } from './images/OpenPanel';
import './images/images.css';

/** Browse images from the store, a registry, an OCI layout or a docker archive. */
export function ImagesView() {
  const opened = useImages((s) => s.opened);
  const current = useCurrentImage();
  const select = useImages((s) => s.select);
  return (
    <div className="images-view">
      <div className="images-side">
        <OpenPanel />
        {opened.length > 0 ? (
          <section className="images-opened" aria-label="Opened images">
            <h2>Opened</h2>
            <ul>
              {opened.map((o) => (
                <li key={o.id}>
                  <button type="button" aria-current={o.id === current?.id ? 'true' : undefined} onClick={() => select(o.id)}>
                    <span className="images-opened-ref">{o.reference}</span>
                    <span className="muted">{formatBytes(o.compressedSize)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
      {current ? <ImageDetail image={current} /> : <p className="muted images-empty">Open an image to see its layers, files and store paths.</p>}
    </div>
  );
}

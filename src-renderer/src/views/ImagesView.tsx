import { formatBytes } from '../format';
import { useCurrentImage, useImages } from '../store/images';
import { ImageDetail } from './images/ImageDetail';
import { OpenPanel } from './images/OpenPanel';
import './images/images.css';

/**
 * Closing removes the focused button: focus goes to the image that becomes current
 * (the next one, else the one before), or back to the source tabs when none is left.
 */
function closeAndMoveFocus(button: HTMLElement, close: () => void): void {
  const item = button.closest('li');
  const neighbour = (item?.nextElementSibling ?? item?.previousElementSibling)?.querySelector('button');
  (neighbour ?? document.querySelector<HTMLElement>('.images-open [role=tab][aria-selected=true]'))?.focus();
  close();
}

/** Browse images from the store, a registry, an OCI layout or a docker archive. */
export function ImagesView() {
  const opened = useImages((s) => s.opened);
  const current = useCurrentImage();
  const select = useImages((s) => s.select);
  const close = useImages((s) => s.close);
  return (
    <div className="images-view">
      <div className="images-side">
        <OpenPanel />
        {opened.length > 0 ? (
          <section className="card images-opened" aria-label="Opened images">
            <h2>Opened</h2>
            <ul>
              {opened.map((o) => (
                <li key={o.id}>
                  <button type="button" aria-current={o.id === current?.id ? 'true' : undefined} onClick={() => select(o.id)}>
                    <span className="images-opened-ref">{o.reference}</span>
                    <span className="muted">{formatBytes(o.compressedSize)}</span>
                  </button>
                  <button type="button" className="images-close" aria-label={`Close ${o.reference}`} title="Close" onClick={(e) => closeAndMoveFocus(e.currentTarget, () => close(o.id))}>
                    ×
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

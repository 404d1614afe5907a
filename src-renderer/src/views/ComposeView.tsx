import { useRecipe } from '../store/recipe';
import { ImageConfig } from './compose/ImageConfig';
import { ImageOutput } from './compose/ImageOutput';
import { PackageSearch } from './compose/PackageSearch';
import { PickedPackages } from './compose/PickedPackages';
import { SavedRecipes } from './compose/SavedRecipes';
import { SourceLoader } from './compose/SourceLoader';
import './flow.css';

/** Compose: pick a source, search its packages, choose what goes in the image and how it runs. */
export function ComposeView() {
  // The config fields keep their typed text; a recipe opened from the list remounts them with its values.
  const opened = useRecipe((s) => s.openCount);
  return (
    <div className="flow-view compose-view">
      <SourceLoader />
      <div className="compose-panes">
        <PackageSearch />
        <div className="compose-side">
          <PickedPackages />
          <ImageConfig key={opened} />
          <ImageOutput />
          <SavedRecipes />
        </div>
      </div>
    </div>
  );
}

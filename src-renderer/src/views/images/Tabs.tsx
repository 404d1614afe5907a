import type { KeyboardEvent, ReactNode } from 'react';

export interface TabDef<T extends string> {
  readonly id: T;
  readonly label: string;
}

interface TabsProps<T extends string> {
  /** The tab list's accessible name. */
  readonly label: string;
  readonly tabs: readonly TabDef<T>[];
  readonly selected: T;
  readonly onSelect: (tab: T) => void;
  /** A unique prefix (from useId) for the tab and panel ids. */
  readonly idBase: string;
  readonly panelClassName?: string;
  /** The selected tab's panel content. */
  readonly children: ReactNode;
}

/**
 * The WAI-ARIA tabs pattern: one Tab stop on the selected tab, Left/Right (wrapping),
 * Home and End move between tabs and select as they go (panels show at once), each tab
 * controls its own panel. Every panel element exists, so each aria-controls names a
 * real element; only the selected one has content.
 */
export function Tabs<T extends string>({ label, tabs, selected, onSelect, idBase, panelClassName, children }: TabsProps<T>) {
  const tabId = (tab: T): string => `${idBase}-tab-${tab}`;
  const panelId = (tab: T): string => `${idBase}-panel-${tab}`;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const at = tabs.findIndex((t) => t.id === selected);
    const target =
      event.key === 'ArrowRight' ? (at + 1) % tabs.length
      : event.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? tabs.length - 1
      : -1;
    if (target < 0) return;
    event.preventDefault();
    const next = tabs[target]!.id;
    onSelect(next);
    document.getElementById(tabId(next))?.focus();
  };

  return (
    <>
      <div role="tablist" aria-label={label} className="images-tabs" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === selected}
            aria-controls={panelId(t.id)}
            tabIndex={t.id === selected ? 0 : -1}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div key={t.id} role="tabpanel" id={panelId(t.id)} aria-labelledby={tabId(t.id)} hidden={t.id !== selected} className={panelClassName}>
          {t.id === selected ? children : null}
        </div>
      ))}
    </>
  );
}

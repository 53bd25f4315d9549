// Table building blocks shared by the pages: a data table with its header row, a card holding a
// list with its empty state and pager, row action buttons (optionally confirmed), status tabs.
import type { ComponentChildren } from 'preact';
import type { App } from './api';
import { AppOptions } from './forms';
import { href, navigate } from './ui';

/** A header cell: a label, or `{ label, num }` for a right-aligned numeric column. */
export type Column = string | { label: string; num?: boolean; minWidth?: string };

/** `<table class="data">` in a sideways-scrolling wrapper (phones), with one header row. */
export function DataTable({
  cols,
  children,
  foot,
  busy,
  testId,
}: {
  cols: readonly Column[];
  children: ComponentChildren;
  foot?: ComponentChildren;
  busy?: boolean;
  testId?: string;
}) {
  return (
    <div class="table-wrap">
      <table class="data" aria-busy={busy} data-testid={testId}>
        <thead>
          <tr>
            {cols.map((c, i) =>
              typeof c === 'string' ? (
                <th key={i}>{c}</th>
              ) : (
                <th
                  key={i}
                  class={c.num ? 'num' : undefined}
                  style={c.minWidth ? { minWidth: c.minWidth } : undefined}
                >
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {foot && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}

/**
 * A flush card with a list: the `empty` state once loaded with no rows, else the table; `pager`
 * below either. While the first load runs (`items` undefined) the table shows with no rows.
 */
export function ListCard({
  items,
  empty,
  cols,
  children,
  pager,
  busy,
  title,
}: {
  items: readonly unknown[] | undefined;
  empty: ComponentChildren;
  cols: readonly Column[];
  children: ComponentChildren;
  pager?: ComponentChildren;
  busy?: boolean;
  title?: string;
}) {
  return (
    <section class="card flush">
      {title && <h2>{title}</h2>}
      {items && items.length === 0 ? (
        empty
      ) : (
        <DataTable cols={cols} busy={busy}>
          {children}
        </DataTable>
      )}
      {pager}
    </section>
  );
}

/** The action buttons of a table row, side by side. */
export function RowActions({ children }: { children: ComponentChildren }) {
  return <div class="row-actions">{children}</div>;
}

/**
 * A small row button. With `confirm`, the browser's confirmation dialog (keyboard friendly,
 * announced by screen readers) must be accepted first.
 */
export function ActButton({
  onClick,
  busy,
  confirm: question,
  primary,
  children,
}: {
  onClick: () => void;
  busy?: boolean;
  confirm?: string;
  primary?: boolean;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={primary ? 'primary small-btn' : 'small-btn'}
      disabled={busy}
      onClick={() => (!question || confirm(question)) && onClick()}
    >
      {children}
    </button>
  );
}

/** Review-status tabs (links, so they can be bookmarked) plus an application filter. */
export function StatusTabs({
  path,
  statuses,
  status,
  app,
  apps,
}: {
  path: string;
  statuses: readonly string[];
  status: string;
  app: string;
  apps: App[];
}) {
  return (
    <div class="tabs" role="tablist" aria-label="status">
      {statuses.map((s) => (
        <a
          key={s}
          role="tab"
          aria-selected={status === s}
          class={status === s ? 'on' : ''}
          href={href(path, { app, status: s })}
        >
          {s || 'all'}
        </a>
      ))}
      <select
        aria-label="application filter"
        value={app}
        onChange={(e) => navigate(path, { app: e.currentTarget.value, status })}
      >
        <AppOptions apps={apps} none="All applications" />
      </select>
    </div>
  );
}

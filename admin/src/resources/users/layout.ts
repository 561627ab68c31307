// Screens that fit the window from 1024 px: a wide table scrolls inside its card instead of widening the page.

/**
 * For a screen's outermost box: its width comes from the layout, never from its content (the layout's content
 * column is a flex item that would otherwise grow to the widest table).
 */
export const fitWidth = { contain: 'inline-size' } as const;

/** For a react-admin <List>: fits the layout, and its table scrolls sideways when it must. */
export const listFitWidth = { ...fitWidth, '& .RaList-content': { overflowX: 'auto' } } as const;

import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * react-admin's theme with darker blue and red: Material's default primary (#1976d2) on a filled input's grey
 * misses WCAG AA contrast (4.1:1) for the focused label, and its red (#d32f2f) a delete button's text on a form
 * toolbar's grey; #1565c0 and #b71c1c pass on white and on those greys.
 */
export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1565c0' },
    secondary: { main: '#263238' },
    error: { main: '#b71c1c' },
  },
};

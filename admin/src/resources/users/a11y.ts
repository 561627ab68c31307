/** Text for screen readers only (a column header of action buttons, say): 1 px, clipped, out of the flow. */
export const visuallyHidden = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  padding: 0,
  margin: '-1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

/**
 * A filled input's label in the error colour misses WCAG AA on the input's grey while focused (#d32f2f: 4.1:1);
 * the theme's darker red passes. For TextFields that show an error as the person types.
 */
export const readableErrorLabel = {
  '& .MuiInputLabel-root.Mui-error, & .MuiFormLabel-root.Mui-error': { color: 'error.dark' },
} as const;

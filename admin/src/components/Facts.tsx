// A record's facts as a description list: the labels in a column as wide as the longest, each value beside its
// label (a long value wraps anywhere rather than widening the screen).
import { Box, Typography, type SxProps, type Theme } from '@mui/material';
import type { ReactNode } from 'react';

export function FactList({
  children,
  sx,
}: {
  children: ReactNode;
  /** Added to (and overriding) the list's own style, e.g. a margin below it. */
  sx?: Exclude<SxProps<Theme>, readonly unknown[]>;
}) {
  const own = { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0 };
  return (
    <Box component="dl" sx={sx === undefined ? own : [own, sx]}>
      {children}
    </Box>
  );
}

/** One fact of a FactList. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
        {children}
      </Typography>
    </>
  );
}

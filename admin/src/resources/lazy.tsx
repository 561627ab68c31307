// Screens load when first shown: the sign-in form and the shell need react-admin and Material UI only, and each
// area's screens come as a chunk of their own (bench/panel.ts measures what the first screen costs).
import { lazy, Suspense, type ComponentType } from 'react';
import { Loading } from 'react-admin';

/** A screen from `load()`'s module export `name`, fetched on first render, with react-admin's loading state. */
export function lazyScreen<M extends Record<string, unknown>>(
  load: () => Promise<M>,
  name: keyof M & string,
) {
  const Screen = lazy(async () => ({ default: (await load())[name] as ComponentType }));
  return function LazyScreen() {
    return (
      <Suspense fallback={<Loading />}>
        <Screen />
      </Suspense>
    );
  };
}

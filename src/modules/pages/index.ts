import { BLOCK_COMPONENTS } from './blocks.ts';
import { defineModule } from '../../platform/module.ts';
import { pageMediaUsage } from './media-usage.ts';
import { PublishedPages } from './published.ts';
import { pageRoutes } from './routes.ts';
import { PagePreviews } from './preview.ts';
import { PagesService, PUBLISH_QUEUE, type PublishJob } from './service.ts';

// What other modules may use: the public reads of pages, the page-builder vocabulary, the pages' error codes.
export { pageError } from './errors.ts';
export { BLOCK_TYPES, type BlockType } from './blocks.ts';
export { snippetHtml } from './published.ts';
export { PreviewChanges, type PagePreviews } from './preview.ts';
export type { LiveEntry, PageHit, PublishedPage, PublishedPages } from './published.ts';
export type { PageView } from './schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the public site reads of the pages: published pages with their parents, the tree, search. */
    publishedPages: PublishedPages;
    /** Any page that is not deleted, as a staff preview shows it. */
    pagePreviews: PagePreviews;
  }
}

/** The website's pages: tree, blocks, workflow, history; they tell the media library where media are used. */
export const pagesModule = defineModule('pages', { dependencies: ['identity', 'audit', 'media'] }, (app) => {
  const db = app.database.db;
  const publishQueue = app.jobs.defineQueue<PublishJob>(
    { name: PUBLISH_QUEUE, retryLimit: 8, retryDelay: 15 },
    async (data): Promise<void> => {
      await pages.publishScheduled(data.page_id, data.scheduled_at);
    },
  );
  const pages = new PagesService({
    db,
    clock: app.clock,
    publishQueue,
    media: app.media,
    audit: app.audit,
  });
  app.media.registerUsage(pageMediaUsage);
  app.decorate('publishedPages', new PublishedPages(db));
  app.decorate('pagePreviews', new PagePreviews(db));
  // The block types as named schemas, which the page routes' bodies reference (and OpenAPI lists).
  for (const schema of BLOCK_COMPONENTS) app.addSchema(schema);
  pageRoutes(app, pages);
});

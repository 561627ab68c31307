import { defineModule } from '../../platform/module.ts';
import { jobRoutes } from './routes.ts';
import { JobsAdminService } from './service.ts';

/** The background queues as staff see them: counts, failed jobs, retry. */
export const jobsModule = defineModule('jobs', { dependencies: ['identity'] }, (app) => {
  jobRoutes(app, new JobsAdminService(app.database.db, app.jobs));
});

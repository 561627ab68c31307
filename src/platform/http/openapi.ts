import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A request body the route reads itself (multipart), described for the API document only: Fastify neither
     * parses nor validates it.
     */
    documentedBody?: unknown;
  }
}

export interface OpenApiOptions {
  version: string;
  /** Where the API is served; the document's one server. */
  publicUrl: string;
}

export async function registerOpenApi(
  app: FastifyInstance,
  { version, publicUrl }: OpenApiOptions,
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      servers: [{ url: publicUrl, description: 'This installation' }],
      info: {
        title: 'Magnetiq API',
        version,
        license: { name: 'Proprietary', identifier: 'LicenseRef-voltAIc-Systems' },
        description:
          'The JSON API of Magnetiq v2. Errors answer {"error": {"code", "message", "details"}}; messages follow ' +
          'Accept-Language (en, de).',
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness for load balancers and orchestrators' },
        { name: 'auth', description: 'Sign-in, sessions, passwords and two-factor authentication' },
        { name: 'users', description: 'Staff accounts, roles and permission grants' },
        { name: 'audit', description: 'Who changed what, when and from where' },
        { name: 'mail', description: 'Mail the product sends' },
        { name: 'jobs', description: 'Background queues: states, failed jobs, retries' },
        { name: 'settings', description: 'System settings, validated, cached, secrets encrypted' },
        { name: 'integrations', description: 'Calls to Odoo and Google Calendar, logged and retryable' },
        { name: 'pages', description: 'Website pages: blocks, workflow, scheduling, history' },
        { name: 'media', description: 'The media library: uploads, variants, where-used' },
        { name: 'consultants', description: 'Consultant profiles, working hours and holidays' },
        { name: 'bookings', description: 'Consultations booked: lists, week view, notes, changes, outcomes' },
        {
          name: 'public',
          description:
            'What the website asks without sign-in: pages, search, consultants, slots, booking, manage links',
        },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'The access_token of POST /api/v1/auth/login',
          },
          cookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'mq_access',
            description: 'The admin UI session; writes also need the x-csrf-token header',
          },
        },
      },
    },
    // Each operation says who may call it: nobody needs to sign in (an empty security), any session, or a named
    // permission (x-permission, which the fuzz test holds every answer to).
    transform: ({ schema: declared, url, route }) => {
      const documentedBody = route.config?.documentedBody;
      const schema = documentedBody ? { ...declared, body: documentedBody } : declared;
      const access = route.config?.access;
      if (!access || access === 'public') {
        return { schema: { ...schema, security: [] }, url };
      }
      const scope = access === 'authenticated' ? undefined : access.resource?.kind;
      const rule =
        access === 'authenticated'
          ? 'Needs a session.'
          : `Needs the permission \`${access.permission}\`${scope ? `, or a grant of it limited to this ${scope} (\`${scope}:<id>\`)` : ''}.`;
      const description = [schema.description, rule].filter(Boolean).join('\n\n');
      return {
        schema: {
          ...schema,
          description,
          security: [{ bearer: [] }, { cookie: [] }],
          'x-permission': access === 'authenticated' ? null : access.permission,
          ...(scope ? { 'x-permission-scope': scope } : {}),
        } as typeof schema,
        url,
      };
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Over plain http (development) an upgrade would send the page's scripts and styles to a port nobody serves.
    transformStaticCSP: (header) =>
      publicUrl.startsWith('https:') ? header : header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
}

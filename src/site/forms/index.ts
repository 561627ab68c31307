/** The infrastructure of the website's forms: CSRF, honeypot, validation, rate limits, HTML refusals. */
export { fieldOf, type FormBody } from './body.ts';
export * from './components.tsx';
export { CSRF_COOKIE, CSRF_FIELD } from './csrf.ts';
export { FORM_MESSAGES, formText } from './messages.ts';
export { formRoutes, langOfUrl, MessagePage, SiteForms, type FormOptions, type PostCheck } from './scope.tsx';
export { fieldId, Validation } from './validate.ts';

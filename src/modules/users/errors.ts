import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the users module: HTTP status once, and what each tells a person in English and German. */
export const userError = defineErrors({
  'users.not_found': {
    status: 404,
    en: 'There is no such user.',
    de: 'Diesen Benutzer gibt es nicht.',
  },
  'users.email_taken': {
    status: 409,
    en: 'Another user already has the e-mail address {email}.',
    de: 'Ein anderer Benutzer hat bereits die E-Mail-Adresse {email}.',
  },
  'users.role_too_high': {
    status: 403,
    en: 'You cannot give the role {role}: it is above your own.',
    de: 'Sie können die Rolle {role} nicht vergeben: Sie liegt über Ihrer eigenen.',
  },
  'users.outranks_you': {
    status: 403,
    en: 'You cannot change this account: its role ({role}) is above your own.',
    de: 'Sie können dieses Konto nicht ändern: Seine Rolle ({role}) liegt über Ihrer eigenen.',
  },
  'users.super_admin_protected': {
    status: 403,
    en: 'Only a super admin can change a super admin.',
    de: 'Nur ein Super-Admin kann einen Super-Admin ändern.',
  },
  'users.last_super_admin': {
    status: 409,
    en: 'This is the last active super admin; make someone else super admin first.',
    de: 'Dies ist der letzte aktive Super-Admin; ernennen Sie zuerst jemand anderen zum Super-Admin.',
  },
  'users.not_yourself': {
    status: 409,
    en: 'You cannot do this to your own account.',
    de: 'Das können Sie mit Ihrem eigenen Konto nicht tun.',
  },
  'users.not_deleted': {
    status: 409,
    en: 'This user is not deleted.',
    de: 'Dieser Benutzer ist nicht gelöscht.',
  },
  'users.permission_not_held': {
    status: 403,
    en: 'You cannot grant {permission}: you do not hold it yourself.',
    de: 'Sie können {permission} nicht vergeben: Sie haben diese Berechtigung selbst nicht.',
  },
  'users.unknown_permission': {
    status: 400,
    en: 'There is no permission named {permission}.',
    de: 'Eine Berechtigung namens {permission} gibt es nicht.',
  },
  'users.grant_not_found': {
    status: 404,
    en: 'This user has no such permission grant.',
    de: 'Dieser Benutzer hat keine solche Berechtigungsvergabe.',
  },
  'users.grant_outlives_yours': {
    status: 403,
    en: 'You hold {permission} only until {until}; a grant you give cannot last longer.',
    de: 'Sie haben {permission} nur bis {until}; eine von Ihnen vergebene Berechtigung kann nicht länger gelten.',
  },
  'users.grant_not_scopable': {
    status: 400,
    en:
      'A grant of {permission} cannot be limited to one resource: no route checks it per resource, so the grant ' +
      'would do nothing. Grant it everywhere, or limit one of these: {scopable}.',
    de:
      'Eine Vergabe von {permission} lässt sich nicht auf eine Ressource beschränken: Keine Route prüft sie je ' +
      'Ressource, die Vergabe bliebe wirkungslos. Vergeben Sie sie überall oder beschränken Sie eine dieser: ' +
      '{scopable}.',
  },
  'users.grant_resource_invalid': {
    status: 400,
    en: 'A grant of {permission} can be limited to {expected}, not to "{resource}".',
    de: 'Eine Vergabe von {permission} lässt sich auf {expected} beschränken, nicht auf „{resource}“.',
  },
  'users.grant_expiry_past': {
    status: 400,
    en: 'A grant must expire in the future.',
    de: 'Eine Berechtigung muss in der Zukunft ablaufen.',
  },
});

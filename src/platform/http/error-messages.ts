import type { Translated } from '../i18n/index.ts';

/**
 * Every error code the API answers with, and what it tells a person in each language. Modules add their
 * codes here so that a code without a German text cannot exist.
 */
export const errorMessages = {
  'validation.failed': {
    en: 'The request is not valid: {summary}',
    de: 'Die Anfrage ist ungültig: {summary}',
  },
  'request.malformed': {
    en: 'The request could not be read: {summary}',
    de: 'Die Anfrage konnte nicht gelesen werden: {summary}',
  },
  'request.too_large': {
    en: 'The request body is too large.',
    de: 'Der Inhalt der Anfrage ist zu groß.',
  },
  'request.unsupported_media_type': {
    en: 'This content type is not supported.',
    de: 'Dieser Inhaltstyp wird nicht unterstützt.',
  },
  not_found: {
    en: 'There is nothing at {method} {url}.',
    de: 'Unter {method} {url} gibt es nichts.',
  },
  'method.not_allowed': {
    en: 'This method is not allowed here.',
    de: 'Diese Methode ist hier nicht erlaubt.',
  },
  'rate.limited': {
    en: 'Too many requests; try again later.',
    de: 'Zu viele Anfragen; bitte später erneut versuchen.',
  },
  'conflict.stale_version': {
    en: 'Someone else changed this in the meantime; reload it and apply your change again.',
    de: 'Jemand anderes hat dies inzwischen geändert; bitte neu laden und die Änderung erneut vornehmen.',
  },
  'conflict.duplicate': {
    en: 'This conflicts with an existing record.',
    de: 'Dies kollidiert mit einem bestehenden Eintrag.',
  },
  'database.unavailable': {
    en: 'The database is not reachable.',
    de: 'Die Datenbank ist nicht erreichbar.',
  },
  'server.unavailable': {
    en: 'The server is shutting down or overloaded; try again shortly.',
    de: 'Der Server fährt herunter oder ist überlastet; bitte gleich erneut versuchen.',
  },
  internal: {
    en: 'Something went wrong on our side. The request id helps us find it: {requestId}',
    de: 'Bei uns ist etwas schiefgegangen. Die Anfrage-ID hilft uns bei der Suche: {requestId}',
  },
  'auth.required': {
    en: 'Sign in first: this needs a session (Authorization: Bearer <token> or the session cookie).',
    de: 'Bitte zuerst anmelden: Dafür ist eine Sitzung nötig (Authorization: Bearer <Token> oder das Sitzungs-Cookie).',
  },
  'auth.invalid_credentials': {
    en: 'The e-mail address or the password is wrong.',
    de: 'Die E-Mail-Adresse oder das Passwort ist falsch.',
  },
  'auth.locked': {
    en: 'This account is locked after too many failed sign-ins. Try again in {minutes} minutes.',
    de: 'Dieses Konto ist nach zu vielen fehlgeschlagenen Anmeldungen gesperrt. Versuchen Sie es in {minutes} Minuten erneut.',
  },
  'auth.account_disabled': {
    en: 'This account is deactivated. Ask an administrator to activate it.',
    de: 'Dieses Konto ist deaktiviert. Bitten Sie einen Administrator, es zu aktivieren.',
  },
  'auth.totp_required': {
    en: 'Enter the code from your authenticator app (or a recovery code).',
    de: 'Geben Sie den Code aus Ihrer Authenticator-App (oder einen Wiederherstellungscode) ein.',
  },
  'auth.totp_invalid': {
    en: 'The code is wrong or was already used.',
    de: 'Der Code ist falsch oder wurde bereits verwendet.',
  },
  'auth.token_expired': {
    en: 'The access token has expired; refresh it with the refresh token.',
    de: 'Das Zugriffstoken ist abgelaufen; erneuern Sie es mit dem Refresh-Token.',
  },
  'auth.invalid_token': {
    en: 'The token is not valid, or its session has ended. Sign in again.',
    de: 'Das Token ist ungültig oder seine Sitzung ist beendet. Bitte erneut anmelden.',
  },
  'auth.refresh_missing': {
    en: 'Send the refresh token in the body (refresh_token) or in the session cookie.',
    de: 'Senden Sie das Refresh-Token im Inhalt (refresh_token) oder im Sitzungs-Cookie.',
  },
  'auth.refresh_reused': {
    en: 'This refresh token was already used. For your safety the session has been ended; sign in again.',
    de: 'Dieses Refresh-Token wurde bereits verwendet. Zu Ihrer Sicherheit wurde die Sitzung beendet; bitte erneut anmelden.',
  },
  'auth.session_expired': {
    en: 'The session has expired. Sign in again.',
    de: 'Die Sitzung ist abgelaufen. Bitte erneut anmelden.',
  },
  'auth.session_not_found': {
    en: 'There is no such live session of yours.',
    de: 'Eine solche aktive Sitzung von Ihnen gibt es nicht.',
  },
  'auth.csrf_failed': {
    en: 'The CSRF token is missing or wrong. Reload the page and try again.',
    de: 'Das CSRF-Token fehlt oder ist falsch. Laden Sie die Seite neu und versuchen Sie es erneut.',
  },
  'auth.forbidden': {
    en: 'You do not have the permission {permission} needed for this.',
    de: 'Ihnen fehlt die dafür nötige Berechtigung {permission}.',
  },
  'auth.two_factor_enrolment_required': {
    en: 'Super admins must set up two-factor authentication first (POST /api/v1/auth/2fa/setup).',
    de: 'Super-Admins müssen zuerst die Zwei-Faktor-Authentifizierung einrichten (POST /api/v1/auth/2fa/setup).',
  },
  'auth.password_policy': {
    en: 'The password must be {min} to {max} characters long and must not be the e-mail address.',
    de: 'Das Passwort muss {min} bis {max} Zeichen lang sein und darf nicht die E-Mail-Adresse sein.',
  },
  'auth.password_incorrect': {
    en: 'The password is wrong.',
    de: 'Das Passwort ist falsch.',
  },
  'auth.reset_token_invalid': {
    en: 'This reset link is invalid, was already used or has expired. Ask for a new one.',
    de: 'Dieser Link zum Zurücksetzen ist ungültig, wurde bereits verwendet oder ist abgelaufen. Fordern Sie einen neuen an.',
  },
  'auth.totp_already_enabled': {
    en: 'Two-factor authentication is already on.',
    de: 'Die Zwei-Faktor-Authentifizierung ist bereits aktiv.',
  },
  'auth.totp_not_started': {
    en: 'Start the enrolment first (POST /api/v1/auth/2fa/setup).',
    de: 'Starten Sie zuerst die Einrichtung (POST /api/v1/auth/2fa/setup).',
  },
  'auth.totp_not_enabled': {
    en: 'Two-factor authentication is not on.',
    de: 'Die Zwei-Faktor-Authentifizierung ist nicht aktiv.',
  },
  'users.not_found': {
    en: 'There is no such user.',
    de: 'Diesen Benutzer gibt es nicht.',
  },
  'users.email_taken': {
    en: 'Another user already has the e-mail address {email}.',
    de: 'Ein anderer Benutzer hat bereits die E-Mail-Adresse {email}.',
  },
  'users.role_too_high': {
    en: 'You cannot give the role {role}: it is above your own.',
    de: 'Sie können die Rolle {role} nicht vergeben: Sie liegt über Ihrer eigenen.',
  },
  'users.outranks_you': {
    en: 'You cannot change this account: its role ({role}) is above your own.',
    de: 'Sie können dieses Konto nicht ändern: Seine Rolle ({role}) liegt über Ihrer eigenen.',
  },
  'users.super_admin_protected': {
    en: 'Only a super admin can change a super admin.',
    de: 'Nur ein Super-Admin kann einen Super-Admin ändern.',
  },
  'users.last_super_admin': {
    en: 'This is the last active super admin; make someone else super admin first.',
    de: 'Dies ist der letzte aktive Super-Admin; ernennen Sie zuerst jemand anderen zum Super-Admin.',
  },
  'users.not_yourself': {
    en: 'You cannot do this to your own account.',
    de: 'Das können Sie mit Ihrem eigenen Konto nicht tun.',
  },
  'users.not_deleted': {
    en: 'This user is not deleted.',
    de: 'Dieser Benutzer ist nicht gelöscht.',
  },
  'users.permission_not_held': {
    en: 'You cannot grant {permission}: you do not hold it yourself.',
    de: 'Sie können {permission} nicht vergeben: Sie haben diese Berechtigung selbst nicht.',
  },
  'users.unknown_permission': {
    en: 'There is no permission named {permission}.',
    de: 'Eine Berechtigung namens {permission} gibt es nicht.',
  },
  'users.grant_not_found': {
    en: 'This user has no such permission grant.',
    de: 'Dieser Benutzer hat keine solche Berechtigungsvergabe.',
  },
  'users.grant_outlives_yours': {
    en: 'You hold {permission} only until {until}; a grant you give cannot last longer.',
    de: 'Sie haben {permission} nur bis {until}; eine von Ihnen vergebene Berechtigung kann nicht länger gelten.',
  },
  'users.grant_expiry_past': {
    en: 'A grant must expire in the future.',
    de: 'Eine Berechtigung muss in der Zukunft ablaufen.',
  },
  'jobs.not_failed': {
    en: 'There is no failed job with this id in this queue.',
    de: 'In dieser Warteschlange gibt es keinen fehlgeschlagenen Auftrag mit dieser ID.',
  },
  'settings.not_found': {
    en: 'There is no setting named {key}.',
    de: 'Eine Einstellung namens {key} gibt es nicht.',
  },
  'settings.invalid_value': {
    en: 'This is not a valid value for {key}: {summary}',
    de: 'Dies ist kein gültiger Wert für {key}: {summary}',
  },
  'settings.secret_unreadable': {
    en: 'The stored value of {key} cannot be decrypted (was APP_SECRET changed?). Set the setting again.',
    de: 'Der gespeicherte Wert von {key} lässt sich nicht entschlüsseln (wurde APP_SECRET geändert?). Setzen Sie die Einstellung erneut.',
  },
  'integrations.log_not_found': {
    en: 'There is no such integration log entry.',
    de: 'Diesen Eintrag im Integrationsprotokoll gibt es nicht.',
  },
  'integrations.not_failed': {
    en: 'This call succeeded; there is nothing to retry.',
    de: 'Dieser Aufruf war erfolgreich; es gibt nichts zu wiederholen.',
  },
  'integrations.not_retryable': {
    en: 'This operation cannot be run again from the log: repeating it is not safe, or its stored input is incomplete.',
    de: 'Dieser Vorgang kann nicht aus dem Protokoll wiederholt werden: eine Wiederholung ist nicht sicher, oder die gespeicherten Angaben sind unvollständig.',
  },
  'integrations.not_configured': {
    en: 'The {integration} integration is not configured: {reason}',
    de: 'Die Integration {integration} ist nicht eingerichtet: {reason}',
  },
  'integrations.call_failed': {
    en: 'The retry failed: {reason} (its calls are logged under correlation id {correlation_id}).',
    de: 'Die Wiederholung ist fehlgeschlagen: {reason} (die Aufrufe sind unter der Korrelations-ID {correlation_id} protokolliert).',
  },
  'pages.not_found': {
    en: 'There is no such page.',
    de: 'Diese Seite gibt es nicht.',
  },
  'pages.slug_taken': {
    en: 'Another page already uses the slug "{slug}".',
    de: 'Eine andere Seite verwendet den Slug „{slug}“ bereits.',
  },
  'pages.slug_reserved': {
    en: 'The slug "{slug}" is reserved for the site itself.',
    de: 'Der Slug „{slug}“ ist für die Website selbst reserviert.',
  },
  'pages.parent_not_found': {
    en: 'The parent page does not exist or is deleted.',
    de: 'Die übergeordnete Seite gibt es nicht oder sie ist gelöscht.',
  },
  'pages.cycle': {
    en: 'A page cannot be placed under itself or one of its own subpages.',
    de: 'Eine Seite kann nicht unter sich selbst oder eine ihrer Unterseiten gestellt werden.',
  },
  'pages.has_children': {
    en: 'This page still has subpages: move or delete them first.',
    de: 'Diese Seite hat noch Unterseiten: verschieben oder löschen Sie diese zuerst.',
  },
  'pages.parent_deleted': {
    en: 'The parent page is deleted: restore it first.',
    de: 'Die übergeordnete Seite ist gelöscht: stellen Sie sie zuerst wieder her.',
  },
  'pages.not_deleted': {
    en: 'This page is not in the trash.',
    de: 'Diese Seite ist nicht im Papierkorb.',
  },
  'pages.purge_super_admin_only': {
    en: 'Only super admins can delete a page for good.',
    de: 'Nur Super-Admins können eine Seite endgültig löschen.',
  },
  'pages.invalid_block': {
    en: 'Block {index} is not valid: {summary}',
    de: 'Block {index} ist ungültig: {summary}',
  },
  'pages.media_not_found': {
    en: 'Block {index} refers to a media file that does not exist ({field}).',
    de: 'Block {index} verweist auf eine Mediendatei, die es nicht gibt ({field}).',
  },
  'pages.invalid_transition': {
    en: 'A page that is {status} cannot be {action}.',
    de: 'Eine Seite im Status „{status}“ erlaubt die Aktion „{action}“ nicht.',
  },
  'pages.schedule_in_past': {
    en: 'The publication time must lie in the future.',
    de: 'Der Veröffentlichungszeitpunkt muss in der Zukunft liegen.',
  },
  'pages.history_not_found': {
    en: 'This page has no such history entry.',
    de: 'Diesen Eintrag gibt es in der Historie dieser Seite nicht.',
  },
  'pages.history_empty': {
    en: 'This history entry holds no state of the page to restore.',
    de: 'Dieser Historieneintrag enthält keinen Stand der Seite, der sich wiederherstellen ließe.',
  },
  'search.invalid_query': {
    en: 'Enter a search text of 1 to {max} characters.',
    de: 'Bitte einen Suchtext mit 1 bis {max} Zeichen eingeben.',
  },
  'media.not_found': {
    en: 'This media item does not exist.',
    de: 'Dieses Medium existiert nicht.',
  },
  'media.type_not_allowed': {
    en: 'This type of file is not allowed in the media library (its content decides, not its name).',
    de: 'Dieser Dateityp ist in der Mediathek nicht erlaubt (es zählt der Inhalt, nicht der Name).',
  },
  'media.too_large': {
    en: 'The file is larger than the upload limit of {max_mb} MB.',
    de: 'Die Datei ist größer als die Upload-Grenze von {max_mb} MB.',
  },
  'media.file_missing': {
    en: 'The upload holds no file (send it in the multipart field "file").',
    de: 'Der Upload enthält keine Datei (bitte im Multipart-Feld „file“ senden).',
  },
  'media.invalid_file': {
    en: 'The file looks like {type} but cannot be read as one.',
    de: 'Die Datei sieht aus wie {type}, lässt sich aber nicht als solche lesen.',
  },
  'media.in_use': {
    en: 'This media item is used in {count} place(s); delete it with confirm=true if you are sure.',
    de: 'Dieses Medium wird an {count} Stelle(n) verwendet; zum Löschen confirm=true angeben, wenn Sie sicher sind.',
  },
  'availability.invalid_timezone': {
    en: '"{tz}" is not a known time zone (an IANA name such as Europe/Berlin).',
    de: '„{tz}“ ist keine bekannte Zeitzone (ein IANA-Name wie Europe/Berlin).',
  },
  'availability.invalid_range': {
    en: 'from and to must be dates (YYYY-MM-DD), with to not before from.',
    de: 'from und to müssen Daten sein (JJJJ-MM-TT), to nicht vor from.',
  },
  'availability.range_too_long': {
    en: 'At most {max} days can be asked for at once ({days} were asked for).',
    de: 'Höchstens {max} Tage können auf einmal abgefragt werden (angefragt: {days}).',
  },
  'availability.consultant_not_found': {
    en: 'There is no such consultant.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'availability.not_accepting': {
    en: 'This consultant does not take bookings at the moment.',
    de: 'Dieser Berater nimmt derzeit keine Buchungen an.',
  },
  'availability.calendar_unavailable': {
    en: "The consultant's calendar can't be read right now; no times are offered. Please try again later.",
    de: 'Der Kalender des Beraters kann gerade nicht gelesen werden; es werden keine Zeiten angeboten. Bitte später erneut versuchen.',
  },
  'consultants.not_found': {
    en: 'This consultant does not exist.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'consultants.email_taken': {
    en: 'Another consultant already uses {email}.',
    de: 'Ein anderer Berater verwendet bereits {email}.',
  },
  'consultants.not_deleted': {
    en: 'This consultant is not in the trash.',
    de: 'Dieser Berater ist nicht im Papierkorb.',
  },
  'consultants.photo_invalid': {
    en: 'The photo must be a live image of the media library ({id} is missing or not an image).',
    de: 'Das Foto muss ein vorhandenes Bild der Mediathek sein ({id} fehlt oder ist kein Bild).',
  },
  'bookings.privacy_consent_required': {
    en: 'Please accept the privacy policy to book an appointment.',
    de: 'Bitte stimmen Sie der Datenschutzerklärung zu, um einen Termin zu buchen.',
  },
  'bookings.consultant_not_found': {
    en: 'There is no such consultant.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'bookings.slot_unavailable': {
    en: 'This time cannot be booked; please choose one of the times offered.',
    de: 'Dieser Termin kann nicht gebucht werden; bitte wählen Sie eine der angebotenen Zeiten.',
  },
  'bookings.slot_taken': {
    en: 'Sorry, this time has just been booked by someone else. Please choose another time.',
    de: 'Dieser Termin wurde leider gerade anderweitig gebucht. Bitte wählen Sie eine andere Zeit.',
  },
  'bookings.idempotency_key_reused': {
    en: 'This Idempotency-Key was already used for a different booking request.',
    de: 'Dieser Idempotency-Key wurde bereits für eine andere Buchungsanfrage verwendet.',
  },
  'bookings.invalid_link': {
    en: 'This link is not valid. Please use the link from your confirmation e-mail.',
    de: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer Bestätigungs-E-Mail.',
  },
  'bookings.not_found': {
    en: 'There is no such booking.',
    de: 'Diese Buchung gibt es nicht.',
  },
  'bookings.not_confirmed': {
    en: 'This booking is no longer confirmed (it was cancelled or has taken place) and can no longer be changed.',
    de: 'Diese Buchung ist nicht mehr bestätigt (sie wurde storniert oder hat stattgefunden) und kann nicht mehr geändert werden.',
  },
  'bookings.already_over': {
    en: 'This appointment is already over.',
    de: 'Dieser Termin ist bereits vorbei.',
  },
  'bookings.cutoff_passed': {
    en: 'This appointment can no longer be changed online (possible until {deadline}). Please contact us directly.',
    de: 'Dieser Termin kann online nicht mehr geändert werden (möglich bis {deadline}). Bitte kontaktieren Sie uns direkt.',
  },
  'bookings.same_time': {
    en: 'The booking is already at this time.',
    de: 'Die Buchung liegt bereits zu dieser Zeit.',
  },
  'bookings.not_ended': {
    en: 'The meeting has not ended yet (it ends at {end}); its outcome can be recorded afterwards.',
    de: 'Der Termin ist noch nicht vorbei (Ende {end}); sein Ergebnis kann danach erfasst werden.',
  },
  'bookings.feedback_not_open': {
    en: 'Feedback can be given once the meeting has taken place.',
    de: 'Eine Bewertung ist möglich, sobald der Termin stattgefunden hat.',
  },
  'bookings.feedback_given': {
    en: 'Feedback for this meeting has already been given. Thank you!',
    de: 'Für diesen Termin wurde bereits eine Bewertung abgegeben. Vielen Dank!',
  },
  'setup.admin_email_taken': {
    en: 'There is no active super admin, and {email} (ADMIN_EMAIL) belongs to another user. Set ADMIN_EMAIL to a free address, or run "magnetiq create-admin".',
    de: 'Es gibt keinen aktiven Super-Admin, und {email} (ADMIN_EMAIL) gehört einem anderen Benutzer. Setzen Sie ADMIN_EMAIL auf eine freie Adresse oder führen Sie "magnetiq create-admin" aus.',
  },
  'migrations.changed': {
    en: 'Migration {version} ({name}) was changed after it was applied. Restore the file and put the change in a new migration.',
    de: 'Migration {version} ({name}) wurde nach dem Einspielen geändert. Stellen Sie die Datei wieder her und legen Sie die Änderung in eine neue Migration.',
  },
  'migrations.missing': {
    en: 'Migration {version} ({name}) was applied to this database but its file is missing.',
    de: 'Migration {version} ({name}) wurde in diese Datenbank eingespielt, aber ihre Datei fehlt.',
  },
} satisfies Record<string, Translated>;

export type ErrorCode = keyof typeof errorMessages;

// What the server's refusals and validation errors say, in the user's language. Every error body
// carries a stable `key` and the `params` its text names ({"error": {"key": "export.not_found",
// "params": {"id": "…"}, "message": "export … does not exist", …}}); this catalogue turns the key
// into a French or English sentence. A key the catalogue does not know falls back to the server's
// English `message` (ErrorNotice marks it lang="en"). src/error-keys.test.ts checks that every key
// the server can send is here in both languages, naming only params the server passes.
import type { Lang } from './messages.ts';

export type ErrorText = Record<Lang, string>;

export const ERROR_TEXTS: Record<string, ErrorText> = {
  // When an error has no key of its own (errorBody's default): its code.
  'error.invalid': { fr: 'La demande n’est pas valable.', en: 'The request is not valid.' },
  'error.unauthenticated': { fr: 'Connectez-vous d’abord.', en: 'Sign in first.' },
  'error.forbidden': {
    fr: 'Vous n’avez pas le droit de faire cela.',
    en: 'You are not allowed to do this.',
  },
  'error.not_found': { fr: 'Introuvable.', en: 'Not found.' },
  'error.conflict': {
    fr: 'Cela contredit ce qui est déjà enregistré.',
    en: 'This clashes with what is already recorded.',
  },
  'error.refused': { fr: 'Une règle refuse cette opération.', en: 'A rule refuses this.' },
  'error.throttled': {
    fr: 'Trop de tentatives : réessayez plus tard.',
    en: 'Too many attempts: try again later.',
  },
  'error.internal': {
    fr: 'Erreur interne ; le journal du serveur en donne le détail.',
    en: 'Internal error; the server log has the details.',
  },
  'network.unreachable': {
    fr: 'Le serveur ne répond pas : vérifiez la connexion.',
    en: 'The server cannot be reached: check the connection.',
  },

  // Requests and validation (src/http/body.ts, src/domain/validation.ts)
  'request.not_json_type': {
    fr: 'Envoyez le corps en JSON (Content-Type: application/json).',
    en: 'Send the body as JSON (Content-Type: application/json).',
  },
  'request.invalid_json': {
    fr: 'Le corps de la demande n’est pas du JSON valable.',
    en: 'The request body is not valid JSON.',
  },
  'request.param_not_uuid': {
    fr: '{param} : doit être un identifiant (UUID).',
    en: '{param}: must be an identifier (UUID).',
  },
  'validation.required': { fr: '{field} : obligatoire.', en: '{field}: is required.' },
  'validation.wrong_type': {
    fr: '{field} : valeur du mauvais type ({expected} attendu).',
    en: '{field}: wrong type of value ({expected} expected).',
  },
  'validation.too_short': {
    fr: '{field} : au moins {min} caractères.',
    en: '{field}: at least {min} characters.',
  },
  'validation.too_long': {
    fr: '{field} : au plus {max} caractères.',
    en: '{field}: at most {max} characters.',
  },
  'validation.too_few': {
    fr: '{field} : au moins {min} éléments.',
    en: '{field}: at least {min} items.',
  },
  'validation.too_many': {
    fr: '{field} : au plus {max} éléments.',
    en: '{field}: at most {max} items.',
  },
  'validation.too_small': {
    fr: '{field} : valeur trop petite.',
    en: '{field}: the value is too small.',
  },
  'validation.too_big': {
    fr: '{field} : valeur trop grande.',
    en: '{field}: the value is too big.',
  },
  'validation.format': {
    fr: '{field} : le format n’est pas valable.',
    en: '{field}: the format is not valid.',
  },
  'validation.not_allowed': {
    fr: '{field} : cette valeur n’est pas permise.',
    en: '{field}: this value is not allowed.',
  },
  'validation.unknown_fields': {
    fr: 'Champs inconnus : {fields}.',
    en: 'Unknown fields: {fields}.',
  },
  'validation.invalid_field': {
    fr: '{field} : la valeur n’est pas valable.',
    en: '{field}: the value is not valid.',
  },
  'validation.invalid_fields': {
    fr: 'Vérifiez ces champs : {fields}.',
    en: 'Check these fields: {fields}.',
  },
  'validation.id_not_uuid': {
    fr: 'L’identifiant ({what}) doit être un UUID.',
    en: 'The {what} id must be a UUID.',
  },

  // Sessions, second factor, tokens, access (src/domain/access, src/http/auth.ts, permit.ts)
  'auth.sign_in_required': {
    fr: 'Connectez-vous, ou envoyez un jeton (Authorization: Bearer).',
    en: 'Sign in, or send a token (Authorization: Bearer).',
  },
  'auth.token_invalid': {
    fr: 'Ce jeton d’API est inconnu, expiré ou révoqué.',
    en: 'This API token is unknown, expired or revoked.',
  },
  'auth.csrf_invalid': {
    fr: 'Jeton anti-CSRF absent ou faux : rechargez la page.',
    en: 'Missing or wrong CSRF token: reload the page.',
  },
  'auth.session_only': {
    fr: 'Cette action demande une session ouverte, pas un jeton.',
    en: 'This needs a signed-in session, not a token.',
  },
  'auth.second_factor_required': {
    fr: 'Double authentification requise : terminez la connexion avec le code de votre application.',
    en: 'Second factor required: finish signing in with your authenticator code.',
  },
  'auth.password_change_required': {
    fr: 'Changez d’abord le mot de passe qui vous a été donné.',
    en: 'Change the first password you were given before anything else.',
  },
  'auth.scope_missing': {
    fr: 'Les droits de ce jeton n’incluent pas {permission}.',
    en: 'This token’s scopes do not include {permission}.',
  },
  'auth.admin_only': {
    fr: 'Seul un administrateur peut faire cela ({permission}).',
    en: 'Only an administrator may do this ({permission}).',
  },
  'auth.role_forbidden': {
    fr: 'Le rôle {role} ne permet pas cela ({permission}).',
    en: 'The {role} role may not do this ({permission}).',
  },
  'access.not_found': {
    fr: 'Introuvable (ou hors des organisations dont vous êtes membre).',
    en: 'Not found (or not in an organisation you belong to).',
  },
  'session.throttled': {
    fr: 'Trop de tentatives de connexion échouées : réessayez dans {seconds} s.',
    en: 'Too many failed sign-in attempts: try again in {seconds} s.',
  },
  'session.bad_credentials': {
    fr: 'Email ou mot de passe incorrect.',
    en: 'Wrong email or password.',
  },
  'session.ended': {
    fr: 'La session est terminée : reconnectez-vous.',
    en: 'The session has ended: sign in again.',
  },
  'session.current_password_wrong': {
    fr: 'Le mot de passe actuel est faux.',
    en: 'The current password is wrong.',
  },
  'session.password_unchanged': {
    fr: 'Le nouveau mot de passe doit différer de l’actuel.',
    en: 'The new password must differ from the current one.',
  },
  'totp.already_enrolled': {
    fr: 'Une double authentification est déjà activée pour ce compte.',
    en: 'A second factor is already enrolled for this account.',
  },
  'totp.not_started': {
    fr: 'Commencez d’abord l’activation de la double authentification.',
    en: 'Start the second-factor enrolment first.',
  },
  'totp.not_enrolled': {
    fr: 'Aucune double authentification n’est encore activée : activez-en une d’abord.',
    en: 'No second factor enrolled yet: enrol one first.',
  },
  'totp.code_wrong': {
    fr: 'Le code est faux : vérifiez l’horloge de l’appareil et réessayez.',
    en: 'The code is wrong: check the device clock and retry.',
  },
  'totp.code_wrong_or_used': {
    fr: 'Le code est faux ou a déjà servi.',
    en: 'The code is wrong or was already used.',
  },
  'token.user_not_found': {
    fr: 'Aucun compte actif n’a cet identifiant.',
    en: 'No active staff account has this id.',
  },
  'token.not_member': {
    fr: 'Ce membre de l’équipe n’appartient pas à cette organisation.',
    en: 'This staff member does not belong to that organisation.',
  },
  'token.unknown_scopes': {
    fr: 'Droits inconnus : {scopes}.',
    en: 'Unknown permissions: {scopes}.',
  },
  'token.admin_scopes_with_org': {
    fr: 'Les droits d’administration vont sur un jeton sans organisation.',
    en: 'Administrator permissions go on a token without an organisation.',
  },
  'token.org_bound': {
    fr: 'Les jetons créés par un jeton n’agissent que dans son organisation.',
    en: 'A token’s tokens act in its organisation only.',
  },
  'token.scopes_beyond': {
    fr: 'Droits {scopes} : au-delà de ce que ce membre de l’équipe peut faire.',
    en: 'Permissions {scopes}: beyond what this staff member may do.',
  },
  'token.expires_after_parent': {
    fr: 'Un jeton créé par un jeton expire au plus tard avec lui ({expiresAt}).',
    en: 'A token’s tokens expire no later than it does ({expiresAt}).',
  },
  'token.not_found': { fr: 'Le jeton {id} n’existe pas.', en: 'Token {id} does not exist.' },
  'token.already_revoked': {
    fr: 'Le jeton {id} est déjà révoqué.',
    en: 'Token {id} is already revoked.',
  },
  'setup.already_done': {
    fr: 'Cette installation est déjà configurée : connectez-vous.',
    en: 'This installation is already set up: sign in instead.',
  },
  'setup.local_only': {
    fr: 'La première installation ne se fait que depuis un navigateur sur la machine du serveur (http://127.0.0.1), ou avec `isoloir user create --admin`.',
    en: 'The first-run setup is accepted only from a browser on the server’s own machine (http://127.0.0.1), or use `isoloir user create --admin`.',
  },

  // Staff accounts (src/domain/access/users.ts, src/http/routes/users.ts)
  'user.admin_org_not_settable': {
    fr: 'Ni « admin » ni « orgId » ne se règlent ici.',
    en: 'admin and orgId cannot be set here.',
  },
  'user.admin_exists': {
    fr: 'Un administrateur existe déjà : les propriétaires ajoutent l’équipe à leur organisation.',
    en: 'An administrator already exists: owners add staff to their organisation.',
  },
  'user.email_taken': {
    fr: 'Un compte de l’équipe a déjà cet email.',
    en: 'A staff account with this email already exists.',
  },
  'user.already_member': {
    fr: 'Ce membre appartient déjà à l’organisation.',
    en: 'This staff member already belongs to the organisation.',
  },
  'user.not_found': {
    fr: 'Le compte {id} n’existe pas.',
    en: 'Staff account {id} does not exist.',
  },
  'user.email_unknown': {
    fr: 'Aucun compte de l’équipe n’a cet email.',
    en: 'No staff account has this email.',
  },
  'user.own_role': {
    fr: 'Personne ne peut changer son propre rôle.',
    en: 'Nobody may change their own role.',
  },
  'user.not_member': {
    fr: 'Ce membre n’appartient pas à l’organisation.',
    en: 'This staff member does not belong to the organisation.',
  },
  'user.last_owner': {
    fr: 'L’organisation resterait sans propriétaire.',
    en: 'The organisation would be left without an owner.',
  },
  'user.already_disabled': {
    fr: 'Ce compte est déjà désactivé.',
    en: 'This staff account is already disabled.',
  },

  // Organisations and elections
  'organisation.not_found': {
    fr: 'L’organisation {id} n’existe pas.',
    en: 'Organisation {id} does not exist.',
  },
  'organisation.no_data_key': {
    fr: 'L’organisation {id} n’a pas de clé de données.',
    en: 'Organisation {id} has no data key.',
  },
  'organisation.cndp_receipt_not_ma': {
    fr: 'Seule une organisation marocaine (MA) a un récépissé de la CNDP.',
    en: 'Only a Moroccan (MA) organisation has a CNDP receipt.',
  },
  'organisation.jurisdiction_fixed': {
    fr: 'La juridiction ne change pas : créez une nouvelle organisation.',
    en: 'The jurisdiction cannot change: create a new organisation.',
  },
  'organisation.contact_phone_invalid': {
    fr: 'Téléphone de contact : numéro non valable (ex. 01 23 45 67 89 ou +33123456789).',
    en: 'Contact phone: not a valid phone number (e.g. 01 23 45 67 89 or +33123456789).',
  },
  'election.not_found': {
    fr: 'L’élection {id} n’existe pas dans cette organisation.',
    en: 'Election {id} does not exist in this organisation.',
  },
  'election.round2_before_round1': {
    fr: 'Le second tour doit venir après le premier.',
    en: 'The second round must come after the first.',
  },
  'election.territory_malformed': {
    fr: 'Territoire : {codes} n’est pas un code de commune INSEE (5 caractères) ou de département.',
    en: 'Territory: {codes} is not an INSEE commune code (5 characters) or department code.',
  },
  'election.territory_unknown': {
    fr: 'Territoire : {codes} n’est pas un code de commune ou de département existant (un code postal n’est pas un code de commune ; Lyon est 69123).',
    en: 'Territory: {codes} is not an existing commune or department code (a postal code is not a commune code; Lyon is 69123).',
  },

  // Sources (src/domain/sources, src/policy/sources.ts)
  'source.not_found': { fr: 'La source {id} n’existe pas.', en: 'Source {id} does not exist.' },
  'source.type_unknown': {
    fr: 'Type « {type} » inconnu ; les types licites sont {known}.',
    en: 'Type "{type}" is not a source type; lawful types are {known}.',
  },
  'source.obtained_in_future': {
    fr: 'La date d’obtention ne peut pas être dans le futur.',
    en: 'The date obtained cannot be in the future.',
  },
  'source.attestation_in_future': {
    fr: 'La date de l’attestation ne peut pas être dans le futur.',
    en: 'The attestation date cannot be in the future.',
  },
  'source.attestation_not_purchased': {
    fr: 'Seul un fichier acheté porte une attestation de prestataire.',
    en: 'Only a purchased file carries a provider attestation.',
  },
  'source.election_required': {
    fr: 'Une liste électorale ou d’émargement sert une élection et est supprimée après : indiquez cette élection.',
    en: 'An electoral or sign-in list serves one election and is deleted after it: name that election.',
  },
  'source.forbidden_administrative': {
    fr: 'Les fichiers administratifs (état civil, impôts, aide sociale, école, service public) ne servent jamais à la communication politique.',
    en: 'Administrative files (civil status, tax, social aid, school or any public-service file) may never be used for political outreach.',
  },
  'source.forbidden_hr': {
    fr: 'Le fichier du personnel ou de paie d’une organisation ne sert jamais à la communication politique.',
    en: 'An organisation’s HR or payroll file may never be used for political outreach.',
  },
  'source.forbidden_other_organisation': {
    fr: 'Le fichier de clients ou d’adhérents d’une autre organisation ne sert jamais à la communication politique.',
    en: 'Another organisation’s customer or member file may never be used for political outreach.',
  },
  'source.forbidden_mandate': {
    fr: 'Les fichiers institutionnels d’un élu restent à part des fichiers de campagne.',
    en: 'An elected official’s institutional files stay apart from campaign files.',
  },
  'source.cndp_receipt_required': {
    fr: 'Une organisation marocaine déclare le traitement à la CNDP avant tout : enregistrez d’abord le récépissé.',
    en: 'A Moroccan organisation notifies the CNDP before processing: record the receipt first.',
  },
  'source.attestation_required': {
    fr: 'Un fichier acheté ou loué demande l’attestation du prestataire que chaque personne a accepté des messages politiques.',
    en: 'A bought or rented file needs the provider’s attestation that each person agreed to receive political messages.',
  },
  'source.attestation_not_political': {
    fr: 'Le texte du consentement attesté doit dire que les messages sont politiques.',
    en: 'The attested consent wording must say that the messages are political.',
  },

  // Contacts and consent
  'contact.not_found': {
    fr: 'Le contact {id} n’existe pas dans cette organisation.',
    en: 'Contact {id} does not exist in this organisation.',
  },
  'contact.birth_year_mismatch': {
    fr: 'L’année de naissance ne correspond pas à la date de naissance.',
    en: 'The birth year does not match the birth date.',
  },
  'contact.identifier_required': {
    fr: 'Donnez un email, un téléphone, ou nom + prénoms + date de naissance.',
    en: 'Give an email, a phone, or family name + first names + birth date.',
  },
  'contact.invalid_phone': {
    fr: 'Ce numéro de téléphone n’est pas valide (par exemple 06 12 34 56 78 ou +33 6 12 34 56 78).',
    en: 'This phone number is not valid (e.g. 06 12 34 56 78 or +33 6 12 34 56 78).',
  },
  'contact.identifier_taken': {
    fr: '{field} : un autre contact de l’organisation l’a déjà ; corrigez ou effacez d’abord cet autre contact.',
    en: '{field}: another contact of this organisation already holds it; correct or erase that contact first.',
  },
  'contact.rectify_suppressed': {
    fr: '{field} : la nouvelle valeur désigne une personne qui s’est opposée ; une correction ne peut pas la faire revenir (SRC-8).',
    en: '{field}: the new value names someone who objected; a correction cannot bring them back (SRC-8).',
  },
  'contact.request_not_found': {
    fr: 'Aucune demande d’exercice de droits de l’organisation ne porte cet identifiant.',
    en: 'No rights request of this organisation has this id.',
  },
  'contact.request_not_erasure': {
    fr: 'Cette demande n’est pas une demande d’effacement ou d’opposition ouverte de cette personne (RIGHTS-1).',
    en: 'This request is not an open erasure or objection request of this person (RIGHTS-1).',
  },
  'contact.request_not_rectification': {
    fr: 'Cette demande n’est pas une demande de rectification confirmée de cette personne (RIGHTS-1, SRC-3).',
    en: 'This request is not a confirmed rectification request of this person (RIGHTS-1, SRC-3).',
  },
  'consent.in_future': {
    fr: 'La date du consentement ne peut pas être dans le futur.',
    en: 'The consent date cannot be in the future.',
  },
  'consent.wording_required': {
    fr: 'Un consentement garde le texte exact que la personne a accepté.',
    en: 'A consent must keep the exact wording the person agreed to.',
  },
  'consent.place_evidence_required': {
    fr: 'Un consentement dit où il a été donné (formulaire, militant, fichier) et garde sa preuve.',
    en: 'A consent must say where it was given (form, canvasser, file) and keep its evidence.',
  },
  'consent.not_political': {
    fr: 'Le consentement au canal {channel} doit nommer les messages politiques.',
    en: 'Consent to {channel} must name political messages.',
  },
  'consent.no_address_for_channel': {
    fr: 'Un consentement au canal {channel} porte sur une coordonnée que ce contact n’a pas : ajoutez-la d’abord.',
    en: 'A consent to {channel} is for a contact detail this contact does not have: add it first.',
  },

  // Imports (src/domain/contacts/import, src/http/upload.ts)
  'import.not_found': { fr: 'L’import {id} n’existe pas.', en: 'Import {id} does not exist.' },
  'import.no_header': {
    fr: 'Le fichier n’a pas de ligne d’en-tête.',
    en: 'The file has no header line.',
  },
  'import.header_unreadable': {
    fr: 'La ligne d’en-tête ne peut pas être lue.',
    en: 'The header line cannot be read.',
  },
  'import.empty': { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  'import.unreadable': { fr: 'Le fichier ne peut pas être lu.', en: 'The file cannot be read.' },
  'import.not_csv_or_xlsx': {
    fr: 'Le fichier n’est pas un CSV ni un XLSX : il ressemble à {what}.',
    en: 'The file is not a CSV or XLSX file: it looks like {what}.',
  },
  'import.binary': {
    fr: 'Le fichier n’est pas un CSV ni un XLSX : il contient des données binaires.',
    en: 'The file is not a CSV or XLSX file: it holds binary data.',
  },
  'import.encoding_unknown': {
    fr: 'Encodage « {encoding} » inconnu : utilisez utf-8, windows-1252 ou latin1.',
    en: 'Encoding "{encoding}" is unknown; use utf-8, windows-1252 or latin1.',
  },
  'import.not_utf8': {
    fr: 'La ligne {line} n’est pas de l’UTF-8 valable : le fichier est sans doute en Windows-1252 ; réimportez-le avec cet encodage.',
    en: 'Line {line} is not valid UTF-8: the file is probably Windows-1252; import it again with that encoding.',
  },
  'import.undecodable': {
    fr: 'La ligne {line} ne se lit pas en {encoding} : réimportez le fichier avec son encodage.',
    en: 'Line {line} cannot be read as {encoding}: import the file again with its encoding.',
  },
  'import.implausible_text': {
    fr: 'Le fichier ne se lit pas comme du texte {encoding} : autre encodage ou données binaires ; réimportez-le avec son encodage, ou enregistrez-le en CSV UTF-8.',
    en: 'The file does not read as {encoding} text: another encoding or binary data; import it again with its encoding, or save it as UTF-8 CSV.',
  },
  'import.looks_like_shift_jis': {
    fr: 'Le fichier ne se lit pas en {encoding} : il ressemble à du japonais (Shift-JIS) ; réimportez-le avec l’encodage shift_jis.',
    en: 'The file does not read as {encoding}: it looks like Japanese text (Shift-JIS); import it again with the shift_jis encoding.',
  },
  'import.looks_like_ebcdic': {
    fr: 'Le fichier ressemble à du texte EBCDIC (export de gros système) : convertissez-le d’abord en UTF-8.',
    en: 'The file looks like EBCDIC text (a mainframe export): convert it to UTF-8 first.',
  },
  'import.utf16_without_bom': {
    fr: 'Le fichier ressemble à de l’UTF-16 sans marque d’ordre des octets : réimportez-le avec l’encodage {encoding}.',
    en: 'The file looks like UTF-16 text without a byte order mark: import it again with the {encoding} encoding.',
  },
  'import.duplicate_header': {
    fr: 'Le fichier a plusieurs colonnes nommées « {header} » (colonnes {columns}) : renommez-en une, ou ignorez-les.',
    en: 'The file has several columns named "{header}" (columns {columns}): rename one, or ignore them.',
  },
  'import.map_ambiguous': {
    fr: 'Correspondance ambiguë : plusieurs colonnes s’appellent « {header} » (colonnes {columns}) ; renommez-les dans le fichier.',
    en: 'Ambiguous mapping: several columns are named "{header}" (columns {columns}); rename them in the file.',
  },
  'import.map_malformed': {
    fr: 'Une correspondance s’écrit EN-TÊTE=CHAMP.',
    en: 'A mapping is written HEADER=FIELD.',
  },
  'import.map_unknown_field': {
    fr: 'Champ « {field} » inconnu ; les champs sont {known}, ou ignore.',
    en: 'Unknown field "{field}"; fields are {known}, or ignore.',
  },
  'import.map_unknown_columns': {
    fr: 'La correspondance nomme des colonnes absentes du fichier : {columns}.',
    en: 'The mapping names columns the file does not have: {columns}.',
  },
  'import.nationality_never_stored': {
    fr: 'La colonne « {header} » contient une nationalité, qui n’est jamais conservée : elle ne peut pas être associée à {field}.',
    en: 'Column "{header}" holds a nationality, which is never stored: it cannot be mapped to {field}.',
  },
  'import.birthplace_never_stored': {
    fr: 'La colonne « {header} » contient un lieu de naissance, qui n’est jamais conservé : elle ne peut pas être associée à {field}.',
    en: 'Column "{header}" holds a birthplace, which is never stored: it cannot be mapped to {field}.',
  },
  'import.mapping_misfit': {
    fr: 'La colonne « {header} » ne peut pas être associée à {field} : {misfits} de ses {rows} premières lignes n’ont pas une valeur de la liste ; rien n’a été importé.',
    en: 'Column "{header}" cannot be mapped to {field}: {misfits} of its first {rows} rows do not hold a value of its list; nothing was imported.',
  },
  'import.interrupted': {
    fr: 'Interrompu : le processus qui l’exécutait s’est arrêté (redémarrage ou panne du serveur) ; rien du fichier n’a été enregistré : relancez-le.',
    en: 'Interrupted: the process running it stopped (server restart or crash); nothing of the file was stored: run it again.',
  },
  'import.forbidden_header': {
    fr: 'La colonne « {header} » nomme un critère interdit ({criterion}) : elle est écartée et ne peut être associée à aucun champ.',
    en: 'Column "{header}" names a forbidden criterion ({criterion}): it is dropped and cannot be mapped to any field.',
  },
  'attachment.inflates_too_large': {
    fr: 'Une pièce jointe est une archive qui dépasse {limit} une fois décompressée (bombe zip, ou trop volumineuse) : elle ne peut pas être vérifiée. Envoyez plutôt un PDF, un texte ou une image.',
    en: 'An attachment is an archive that inflates past {limit} (a zip bomb, or too large): it cannot be checked for personal data. Send a PDF, a text or an image instead.',
  },
  'import.xlsx_entry_too_large': {
    fr: 'La partie {part} du fichier XLSX dépasse {limit} une fois décompressée (ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES) : le fichier est refusé ; s’il est authentique, relevez ce réglage ou enregistrez-le en CSV.',
    en: 'The XLSX file’s part {part} inflates past {limit} (ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES): the file is refused; if it is genuine, raise the setting or save it as CSV.',
  },
  'import.xlsx_text_too_large': {
    fr: 'Le texte des cellules du fichier XLSX dépasse {limit} (ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES) : le fichier est refusé ; s’il est authentique, relevez ce réglage ou enregistrez-le en CSV.',
    en: 'The XLSX file’s shared strings and cell text take more than {limit} (ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES): the file is refused; if it is genuine, raise the setting or save it as CSV.',
  },
  'import.xlsx_part_too_large': {
    fr: 'La partie {part} du fichier XLSX dépasse {limit} une fois décompressée, bien plus que ne demande un classeur : le fichier est refusé comme bombe zip ; enregistrez-le en CSV.',
    en: 'The XLSX file’s part {part} inflates past {limit}, far more than any workbook needs: the file is refused as a zip bomb; save it as CSV.',
  },
  'import.xlsx_too_many_cell_formats': {
    fr: 'Les styles du fichier XLSX comptent plus de {limit} formats de cellule, plus qu’Excel n’en permet : le fichier est refusé comme abîmé ou hostile ; enregistrez-le en CSV.',
    en: 'The XLSX file’s styles list more than {limit} cell formats, more than Excel allows: the file is refused as damaged or hostile; save it as CSV.',
  },
  'import.xlsx_too_many_number_formats': {
    fr: 'Les styles du fichier XLSX comptent plus de {limit} formats de nombre, plus qu’Excel n’en permet : le fichier est refusé comme abîmé ou hostile ; enregistrez-le en CSV.',
    en: 'The XLSX file’s styles list more than {limit} number formats, more than Excel allows: the file is refused as damaged or hostile; save it as CSV.',
  },
  'import.xlsx_damaged': {
    fr: 'Le fichier XLSX ne peut pas être lu (abîmé ou tronqué ?) : {reason}',
    en: 'The XLSX file cannot be read (damaged or truncated?): {reason}',
  },
  'import.xlsx_no_such_sheet': {
    fr: 'Le fichier XLSX n’a pas de feuille « {sheet} » ; ses feuilles : {sheets}.',
    en: 'The XLSX file has no sheet named "{sheet}"; its sheets: {sheets}.',
  },
  'import.xlsx_no_worksheet': {
    fr: 'Le fichier XLSX n’a aucune feuille de calcul.',
    en: 'The XLSX file has no worksheet.',
  },
  'import.zip_is_word_document': {
    fr: 'Le fichier n’est pas un classeur XLSX : il ressemble à un document Word (.docx).',
    en: 'The file is not an XLSX workbook: it looks like a Word document (.docx).',
  },
  'import.zip_is_presentation': {
    fr: 'Le fichier n’est pas un classeur XLSX : il ressemble à une présentation PowerPoint (.pptx).',
    en: 'The file is not an XLSX workbook: it looks like a PowerPoint presentation (.pptx).',
  },
  'import.zip_is_xlsb': {
    fr: 'Le fichier est un classeur Excel binaire (.xlsb), illisible : enregistrez-le en .xlsx ou .csv.',
    en: 'The file is an Excel binary workbook (.xlsb), which cannot be read: save it as .xlsx or .csv.',
  },
  'import.zip_is_opendocument': {
    fr: 'Le fichier n’est pas un classeur XLSX : il ressemble à un fichier OpenDocument (.ods, .odt) ; enregistrez-le en .xlsx ou .csv.',
    en: 'The file is not an XLSX workbook: it looks like an OpenDocument file (.ods, .odt); save it as .xlsx or .csv.',
  },
  'import.zip_not_workbook': {
    fr: 'Le fichier est une archive zip qui n’est pas un classeur XLSX.',
    en: 'The file is a zip archive that is not an XLSX workbook.',
  },
  'upload.not_multipart': {
    fr: 'Envoyez le fichier en multipart/form-data dans un champ nommé « {field} ».',
    en: 'Send the file as multipart/form-data in a field named "{field}".',
  },
  'upload.no_file': {
    fr: 'Le formulaire n’a pas de champ de fichier « {field} ».',
    en: 'The form has no file field named "{field}".',
  },
  'upload.too_large': {
    fr: 'Le fichier dépasse {limit}.',
    en: 'The file is larger than {limit}.',
  },
  'upload.unreadable': {
    fr: 'Le fichier envoyé n’a pas pu être lu.',
    en: 'The upload could not be read.',
  },
  'upload.too_many_fields': {
    fr: 'Le formulaire a plus de {limit} champs.',
    en: 'The form has more than {limit} fields.',
  },
  'upload.field_too_large': {
    fr: 'Un champ du formulaire dépasse {limit}.',
    en: 'A form field is larger than {limit}.',
  },
  'http.body_too_large': {
    fr: 'Le corps de la demande dépasse {limit}.',
    en: 'The request body is larger than {limit}.',
  },

  // Segments (src/domain/segments, src/http/routes/segments.ts, src/policy/targeting.ts)
  'segment.not_found': { fr: 'Le segment {id} n’existe pas.', en: 'Segment {id} does not exist.' },
  'segment.invalid': {
    fr: 'Le filtre du segment n’est pas valable.',
    en: 'The segment’s filter is not valid.',
  },
  'segment.filter_invalid': {
    fr: 'Le filtre n’est pas valable : vérifiez ses conditions.',
    en: 'The filter is not valid: check its conditions.',
  },
  'segment.filter_too_deep': {
    fr: 'Le filtre a plus de {limit} niveaux d’imbrication : simplifiez-le.',
    en: 'The filter is nested deeper than {limit} levels: simplify it.',
  },
  'segment.filter_too_many_nodes': {
    fr: 'Le filtre a plus de {limit} conditions et groupes : simplifiez-le.',
    en: 'The filter has more than {limit} conditions and groups: simplify it.',
  },
  'segment.closed_vocabulary': {
    fr: '{field} ne prend que les valeurs de sa liste ; les autres sont refusées.',
    en: '{field} takes only the values of its list; other values are refused.',
  },
  'segment.forbidden_field': {
    fr: 'Impossible de cibler sur « {field} » : ce critère est interdit ({criterion}).',
    en: 'Cannot target on "{field}": this criterion is forbidden ({criterion}).',
  },
  'segment.limit_not_integer': {
    fr: 'limit : doit être un nombre entier.',
    en: 'limit: must be a whole number.',
  },
  'segment.identifiers_role_forbidden': {
    fr: 'Le rôle {role} ne peut pas voir les coordonnées dans un aperçu.',
    en: 'The {role} role may not see identifiers in a preview.',
  },
  'segment.identifiers_scope_missing': {
    fr: 'Les droits de ce jeton n’incluent pas segment.preview_identifiers.',
    en: 'This token’s scopes do not include segment.preview_identifiers.',
  },

  // Assignments and objections
  'assignment.not_a_volunteer': {
    fr: 'Cette personne n’est pas bénévole de l’organisation.',
    en: 'Not a volunteer of this organisation.',
  },
  'assignment.not_yours': {
    fr: 'La liste {id} ne vous est pas attribuée.',
    en: 'List {id} is not one of yours.',
  },
  'assignment.contact_not_on_list': {
    fr: 'Le contact {id} n’est pas sur cette liste.',
    en: 'Contact {id} is not on this list.',
  },
  'objection.invalid_phone': {
    fr: 'Téléphone : numéro non valable (ex. 06 12 34 56 78, 0639 40 12 34 ou +262 639 40 12 34).',
    en: 'Phone: not a valid phone number (e.g. 06 12 34 56 78, 0639 40 12 34 or +262 639 40 12 34).',
  },
  'unsubscribe.link_invalid': {
    fr: 'Ce lien de désabonnement n’est pas valable : copiez le lien entier depuis le message.',
    en: 'This unsubscribe link is not valid: copy the whole link from the message.',
  },

  // Rights requests (src/domain/rights/requests.ts, confirm-request.ts, answer-request.ts)
  'rights.identifier_required': {
    fr: 'Indiquez soit une adresse email, soit un numéro de téléphone : le code y est envoyé (RIGHTS-1).',
    en: 'Give either an email address or a phone number: the code is sent there (RIGHTS-1).',
  },
  'rights.invalid_phone': {
    fr: 'Téléphone : numéro non valable (ex. 06 12 34 56 78 ou +33 6 12 34 56 78).',
    en: 'Phone: not a valid phone number (e.g. 06 12 34 56 78 or +33 6 12 34 56 78).',
  },
  'rights.phone_unavailable': {
    fr: 'Téléphone : les codes par SMS ne sont pas encore disponibles ; indiquez votre adresse e-mail, ou écrivez au délégué à la protection des données (RIGHTS-1).',
    en: 'Phone: codes by SMS are not available yet; give your email address, or write to the data-protection officer (RIGHTS-1).',
  },
  'rights.details_required': {
    fr: 'Précisez ce qu’il faut rectifier ou limiter (RIGHTS-1).',
    en: 'Say what to rectify or restrict (RIGHTS-1).',
  },
  'rights.ref_unknown': {
    fr: 'Cette référence n’est pas celle d’un message de cette organisation.',
    en: 'This reference is not that of a message of this organisation.',
  },
  'rights.throttled': {
    fr: 'Trop de demandes de code pour cette adresse ou depuis cette connexion : réessayez dans une heure (RIGHTS-1).',
    en: 'Too many code requests for this address or from this connection: try again in an hour (RIGHTS-1).',
  },
  'rights.request_not_found': {
    fr: 'La demande {id} n’existe pas.',
    en: 'Request {id} does not exist.',
  },
  'rights.code_format': {
    fr: 'Le code : saisissez les six chiffres reçus.',
    en: 'Code: enter the six digits you received.',
  },
  'rights.code_wrong': {
    fr: 'Code erroné : encore {remaining} essai(s) (RIGHTS-1).',
    en: 'Wrong code: {remaining} attempt(s) left (RIGHTS-1).',
  },
  'rights.request_locked': {
    fr: 'Cette demande est bloquée après cinq codes erronés : faites une nouvelle demande (RIGHTS-1).',
    en: 'This request is locked after five wrong codes: make a new request (RIGHTS-1).',
  },
  'rights.code_expired': {
    fr: 'Ce code a expiré (30 minutes) : faites une nouvelle demande (RIGHTS-1).',
    en: 'This code has expired (30 minutes): make a new request (RIGHTS-1).',
  },
  'rights.code_used': {
    fr: 'Cette demande est déjà confirmée : un code ne sert qu’une fois (RIGHTS-1).',
    en: 'This request is already confirmed: a code works once (RIGHTS-1).',
  },
  'rights.not_open': {
    fr: 'Cette demande est à l’état {status} : seule une demande ouverte ou prolongée peut recevoir une réponse.',
    en: 'This request is {status}: only an open or extended request can be answered.',
  },
  'rights.already_extended': {
    fr: 'Le délai de cette demande a déjà été prolongé une fois : répondez-y (RIGHTS-1).',
    en: 'This request was already extended once: answer it (RIGHTS-1).',
  },
  'rights.extension_too_late': {
    fr: 'Le mois pour répondre à cette demande est écoulé : elle ne peut plus être prolongée, répondez-y (RIGHTS-1, RGPD art. 12(3)).',
    en: 'The month to answer this request has passed: it can no longer be extended, answer it (RIGHTS-1, GDPR art. 12(3)).',
  },

  // Campaigns, notices, calendar, channels (src/domain/outreach, src/policy)
  'campaign.not_found': {
    fr: 'La campagne {id} n’existe pas.',
    en: 'Campaign {id} does not exist.',
  },
  'campaign.unknown_merge_field': {
    fr: '{where} : champ de fusion inconnu {{{field}}} ; utilisez {known}.',
    en: '{where}: unknown merge field {{{field}}}; use {known}.',
  },
  'campaign.channel_unsupported': {
    fr: 'Seules les campagnes par email existent pour l’instant (pas {channel}).',
    en: 'Only email campaigns exist for now, not {channel}.',
  },
  'campaign.move_not_allowed': {
    fr: 'La campagne {id} est à l’état {state} : « {move} » n’est possible qu’à l’état {from}.',
    en: 'Campaign {id} is {state}: it can {move} only when {from}.',
  },
  'campaign.resend_unknown_not_allowed': {
    fr: 'La campagne {id} est à l’état {state} : seule une campagne terminée avec des messages au sort inconnu peut les renvoyer.',
    en: 'Campaign {id} is {state}: only a campaign done with unknown messages can resend them.',
  },
  'campaign.not_plannable': {
    fr: 'La campagne {id} est à l’état {state} : seule une campagne en brouillon ou planifiée se planifie.',
    en: 'Campaign {id} is {state}: only a draft or planned campaign is planned.',
  },
  'campaign.preview_nobody_reachable': {
    fr: 'Personne dans le segment de cette campagne ne peut légalement recevoir d’email : aucun aperçu possible.',
    en: 'Nobody in this campaign’s segment may lawfully receive email: there is no one to preview.',
  },
  'campaign.preview_no_provenance': {
    fr: 'Le destinataire d’exemple n’a pas de provenance.',
    en: 'The sample recipient has no provenance.',
  },
  'campaign.cndp_receipt_required': {
    fr: 'Une organisation marocaine n’envoie rien avant d’avoir enregistré son récépissé de la CNDP.',
    en: 'A Moroccan organisation sends nothing before its CNDP notification receipt is recorded.',
  },
  'campaign.election_silence': {
    fr: 'Élection « {election} » : aucune propagande électronique ni appels en série du {fromDate} à {fromTime} jusqu’à la clôture du scrutin ({untilTime}) le {untilDate}, heure de {timeZone}.',
    en: 'Election "{election}": no electronic propaganda or serial calls from {fromTime} on {fromDate} until polls close ({untilTime}) on {untilDate}, {timeZone} time.',
  },
  'campaign.subject_personal_data': {
    fr: 'L’objet contient des données personnelles ({found}) : les coordonnées d’autres personnes ne partent jamais dans un message ; retirez-les.',
    en: 'The subject holds personal data ({found}): other people’s details never leave in a message; remove them.',
  },
  'campaign.body_personal_data': {
    fr: 'Le texte contient des données personnelles ({found}) : les coordonnées d’autres personnes ne partent jamais dans un message ; retirez-les.',
    en: 'The body holds personal data ({found}): other people’s details never leave in a message; remove them.',
  },
  'attachment.name_personal_data': {
    fr: 'Le nom d’une pièce jointe contient des données personnelles ({found}) : renommez-la ou retirez-la.',
    en: 'An attachment’s file name holds personal data ({found}): rename or remove it.',
  },
  'attachment.unreadable': {
    fr: 'Une pièce jointe ne peut pas être vérifiée : envoyez plutôt un PDF, un texte ou une image.',
    en: 'An attachment cannot be checked for personal data: send a PDF, a text or an image instead.',
  },
  'attachment.personal_data': {
    fr: 'Une pièce jointe contient des données personnelles ({found}) : les fichiers de données personnelles ne partent jamais en pièce jointe ; retirez-la.',
    en: 'An attachment holds personal data ({found}): files of personal data never leave as attachments; remove it.',
  },
  'calendar.silence': {
    fr: 'Aucune propagande électronique ni appels en série du {fromDate} à 00:00 jusqu’à la clôture du scrutin ({pollsClose}) le {voteDate}, heure de {timeZone}.',
    en: 'No electronic propaganda or serial calls from 00:00 on {fromDate} until polls close ({pollsClose}) on {voteDate}, {timeZone} time.',
  },
  'calendar.outside_hours': {
    fr: 'SMS et appels seulement de {from} à {until}, les jours permis, à l’heure du destinataire.',
    en: 'SMS and calls go out only from {from} to {until} on the allowed days, in the recipient’s time zone.',
  },
  'calendar.window_widened': {
    fr: 'La plage d’envoi peut être réduite, pas élargie au-delà de {from} à {until}.',
    en: 'The send window may be narrowed, not widened beyond {from} to {until}.',
  },
  'notice.missing_controller': {
    fr: 'La mention d’information ne dit pas qui envoie le message (le responsable du traitement).',
    en: 'The notice does not say who sends it (the controller).',
  },
  'notice.missing_controller_contact': {
    fr: 'La mention d’information ne donne pas le contact du responsable du traitement.',
    en: 'The notice does not give the controller’s contact.',
  },
  'notice.missing_source': {
    fr: 'La mention d’information ne dit pas d’où viennent les données.',
    en: 'The notice does not say how the data was obtained.',
  },
  'notice.missing_legal_basis': {
    fr: 'La mention d’information ne dit pas la base légale du traitement (RGPD art. 13(1)(c)).',
    en: 'The notice does not say the legal basis of the processing (GDPR art. 13(1)(c)).',
  },
  'notice.missing_purposes': {
    fr: 'La mention d’information ne dit pas à quoi servent les données : renseignez les finalités dans les paramètres.',
    en: 'The notice does not say what the data is used for: fill in the purposes in the settings.',
  },
  'notice.missing_recipients': {
    fr: 'La mention d’information ne dit pas qui reçoit les données : renseignez les destinataires dans les paramètres.',
    en: 'The notice does not say who receives the data: fill in the recipients in the settings.',
  },
  'notice.missing_retention': {
    fr: 'La mention d’information ne dit pas combien de temps les données sont gardées.',
    en: 'The notice does not say how long the data is kept.',
  },
  'notice.missing_rights_contact': {
    fr: 'La mention d’information ne dit pas comment et auprès de qui exercer ses droits.',
    en: 'The notice does not say how and with whom to exercise rights.',
  },
  'notice.missing_regulator': {
    fr: 'La mention d’information ne nomme pas l’autorité auprès de qui se plaindre.',
    en: 'The notice does not name the regulator one may complain to.',
  },
  'notice.missing_objection': {
    fr: 'La mention d’information ne dit pas comment s’opposer.',
    en: 'The notice does not say how to object.',
  },
  'channel.automated_forbidden': {
    fr: '« {channel} » : les automates d’appel et le fax ne servent pas à la communication politique.',
    en: '"{channel}": automated calling machines and fax are not used for political outreach.',
  },
  'channel.unknown': {
    fr: '« {channel} » n’est pas un canal ; les canaux sont {known}.',
    en: '"{channel}" is not a channel; channels are {known}.',
  },

  // Exports and the audit log
  'export.not_found': { fr: 'L’export {id} n’existe pas.', en: 'Export {id} does not exist.' },
  'export.reject_note_required': {
    fr: 'Dites pourquoi l’export est refusé.',
    en: 'Say why the export is rejected.',
  },
  'export.four_eyes_requester': {
    fr: 'Un export est approuvé par quelqu’un d’autre que son demandeur (quatre yeux).',
    en: 'An export is approved by someone other than its requester (four eyes).',
  },
  'export.four_eyes_dpo': {
    fr: 'Un DPO nommé par le demandeur ne peut pas approuver son export (quatre yeux).',
    en: 'A DPO appointed by the requester cannot approve their export (four eyes).',
  },
  'export.already_decided': {
    fr: 'L’export {id} a déjà été traité ({status}).',
    en: 'Export {id} was already {status}.',
  },
  'export.not_yours': {
    fr: 'L’export {id} n’est pas une de vos demandes.',
    en: 'Export {id} is not one of your requests.',
  },
  'export.awaiting_approval': {
    fr: 'Cet export attend l’approbation du DPO.',
    en: 'This export awaits the DPO’s approval.',
  },
  'export.rejected': { fr: 'Le DPO a refusé cet export.', en: 'The DPO rejected this export.' },
  'export.already_downloaded': {
    fr: 'Cet export a déjà été téléchargé ; faites une nouvelle demande.',
    en: 'This export was already downloaded; ask for a new one.',
  },
  'audit.unknown_filter': {
    fr: 'Filtre inconnu {filters} : utilisez {known}.',
    en: 'Unknown filter {filters}: use {known}.',
  },
  'audit.limit_not_integer': {
    fr: 'limit : doit être un nombre entier.',
    en: 'limit: must be a whole number.',
  },
  'audit.refused_not_boolean': {
    fr: 'refused : doit valoir true ou false.',
    en: 'refused: must be true or false.',
  },
  'audit.no_audit_key': {
    fr: 'Pas de clé d’audit : définissez ISOLOIR_AUDIT_KEY ou ISOLOIR_AUDIT_KEY_FILE, à part de la base.',
    en: 'No audit key: set ISOLOIR_AUDIT_KEY or ISOLOIR_AUDIT_KEY_FILE, kept apart from the database.',
  },
  'audit.tampered': {
    fr: 'Le journal d’audit a été altéré : événement {seq}.',
    en: 'The audit log was tampered with: event {seq}.',
  },

  // Database constraints (src/db/errors.ts)
  'db.already_exists': { fr: 'Cela existe déjà.', en: 'This already exists.' },
  'db.reference_invalid': {
    fr: 'Cela renvoie à un enregistrement qui n’existe pas, ou qui est encore utilisé.',
    en: 'This refers to a record that does not exist, or is still referred to.',
  },
  'db.rule_refused': {
    fr: 'La base de données refuse cette valeur au nom d’une règle.',
    en: 'The database refuses this value under a rule.',
  },
  'db.value_refused': {
    fr: 'La base de données refuse cette valeur.',
    en: 'The database refused the value.',
  },
  'db.value_invalid': { fr: 'Une valeur n’est pas valable.', en: 'A value is not valid.' },
  'db.csp_closed': {
    fr: 'La CSP ne prend qu’un code PCS 2020 de l’INSEE (liste fermée).',
    en: 'csp takes only an INSEE PCS 2020 code (a closed vocabulary).',
  },
  'db.polling_station_closed': {
    fr: 'Le bureau de vote ne prend qu’un code de bureau (liste fermée).',
    en: 'pollingStation takes only a polling-station code (a closed vocabulary).',
  },
  'db.source_type_unlawful': {
    fr: 'Ce type de source n’est pas une source licite de communication politique.',
    en: 'This source type is not a lawful source for political outreach.',
  },
  'db.purchased_unattested': {
    fr: 'Un fichier acheté demande l’attestation du prestataire (consentement aux messages politiques).',
    en: 'A purchased file needs its provider’s attestation of consent to political messages.',
  },

  // Public pages (src/http/public-page.ts has their voter-facing pages)
  'public.not_found': { fr: 'Cette page n’existe pas.', en: 'This page does not exist.' },
  'message.not_found': {
    fr: 'Aucun message n’a cette référence : copiez le lien entier depuis le message.',
    en: 'No message has this reference: copy the whole link from the message.',
  },
  'report.throttled': {
    fr: 'Trop de signalements depuis cette adresse ou pour ce message : réessayez plus tard (REP-1).',
    en: 'Too many reports from this address or about this message: try again later (REP-1).',
  },
  'privacy.org_not_found': {
    fr: 'Cette notice d’information n’existe pas.',
    en: 'This privacy notice does not exist.',
  },
  'public.throttled': {
    fr: 'Trop de demandes : réessayez dans quelques minutes.',
    en: 'Too many requests: try again in a few minutes.',
  },
  'public.throttled_link': {
    fr: 'Cette page a été trop demandée ; le désabonnement reste possible.',
    en: 'This page was requested too often; unsubscribing still works.',
  },
  'public.request_invalid': {
    fr: 'Cette demande n’a pas pu être traitée.',
    en: 'This request could not be handled.',
  },
  'public.unavailable': {
    fr: 'Le service est momentanément indisponible.',
    en: 'The service is unavailable for now.',
  },
};

/** The `{name}` params a text names (`{{{field}}}` names `field`). */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/**
 * The message of `key` in `lang`, its params filled in; undefined when the key is unknown, or a
 * param the text names is missing (then the server's English message is the better text).
 */
export function errorText(
  key: string | undefined,
  params: Record<string, string | number> | undefined,
  lang: Lang,
): string | undefined {
  const template = key && Object.hasOwn(ERROR_TEXTS, key) ? ERROR_TEXTS[key]![lang] : undefined;
  if (!template) return undefined;
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) {
      missing = true;
      return whole;
    }
    return String(value);
  });
  return missing ? undefined : text;
}

/** What the app shows for an error: in `lang` when its key is known, else the server's English. */
export function localisedError(
  error: { key?: string | undefined; params?: Record<string, string | number>; message: string },
  lang: Lang,
): { text: string; lang: Lang | undefined } {
  const text = errorText(error.key, error.params, lang);
  return text ? { text, lang: undefined } : { text: error.message, lang: 'en' };
}

// For every rule id the server can answer with: a one-sentence fix, in the user's language.
// The server's message says what was refused; this says what to do about it.
import type { Lang } from './messages.ts';

const FIXES: Record<string, Record<Lang, string>> = {
  'SRC-1': {
    fr: 'Utilisez une source licite (liste électorale, adhérents, sympathisants, fichier loué avec attestation) : les fichiers administratifs, RH ou d’autres organismes sont interdits.',
    en: 'Use a lawful source (electoral list, members, supporters, a rented file with an attestation): administrative, HR or other organisations’ files are forbidden.',
  },
  'SRC-2': {
    fr: 'Une liste électorale ne sert qu’au courrier, aux appels et au porte-à-porte : ses emails, lieux de naissance et nationalités ne sont jamais conservés.',
    en: 'An electoral list serves post, calls and door-to-door only: its emails, birthplaces and nationalities are never kept.',
  },
  'SRC-3': {
    fr: 'Joignez l’attestation du prestataire : son nom, la date, le texte exact du consentement et la référence de la preuve.',
    en: 'Attach the provider’s attestation: its name, the date, the exact consent wording and the proof reference.',
  },
  'SRC-6': {
    fr: 'Importez ce contact depuis une source déclarée : chaque contact doit dire d’où il vient.',
    en: 'Import this contact from a declared source: every contact must say where it comes from.',
  },
  'SRC-7': {
    fr: 'Gardez les fichiers du mandat à part : créez plutôt une source de campagne (adhérents, sympathisants).',
    en: 'Keep mandate files apart: declare a campaign source instead (members, supporters).',
  },
  'SRC-8': {
    fr: 'Rien à faire : une personne qui s’est opposée n’est jamais réimportée.',
    en: 'Nothing to do: a person who objected is never imported again.',
  },
  'SEG-1': {
    fr: 'Ciblez par âge, catégorie socio-professionnelle ou lieu de résidence : ce sont les seuls critères permis.',
    en: 'Target by age, socio-professional category or place of residence: these are the only criteria allowed.',
  },
  'SEG-2': {
    fr: 'Retirez ce critère : un nom, un lieu ou pays de naissance, une nationalité ou une donnée sensible ne peut jamais servir à cibler.',
    en: 'Remove this criterion: a name, a birthplace or country, a nationality or sensitive data may never be used to target.',
  },
  'SEG-3': {
    fr: 'Les opinions politiques ne sortent pas de l’organisation : ciblez vos propres adhérents ou sympathisants seulement.',
    en: 'Political opinions never leave the organisation: target your own members or supporters only.',
  },
  'CH-EMAIL': {
    fr: 'N’écrivez qu’aux personnes qui ont consenti par email ou qui sont adhérentes ou sympathisantes : élargissez le segment ou recueillez leur consentement.',
    en: 'Email only people who consented or who are members or supporters: widen the segment or collect their consent.',
  },
  'CH-SMS': {
    fr: 'N’envoyez de SMS qu’aux personnes qui l’ont accepté, avec la mention STOP.',
    en: 'Send SMS only to people who accepted it, with the STOP notice.',
  },
  'CH-AUTO': {
    fr: 'Choisissez l’email, le SMS, l’appel par une personne ou le courrier : les automates d’appel et le fax sont interdits.',
    en: 'Choose email, SMS, a call by a person or post: automated calls and fax are forbidden.',
  },
  'CH-HOURS': {
    fr: 'Programmez l’envoi du lundi au samedi, entre 8 h et 22 h.',
    en: 'Schedule it Monday to Saturday, between 08:00 and 22:00.',
  },
  'CAL-1': {
    fr: 'Programmez l’envoi avant la veille du scrutin ou après la fermeture des bureaux de vote.',
    en: 'Schedule it before the eve of the vote or after the polls close.',
  },
  'NOT-1': {
    fr: 'Complétez les finalités et les destinataires de l’organisation (Paramètres) : la notice de chaque message les cite.',
    en: 'Fill in the organisation’s purposes and recipients (Settings): every message’s notice quotes them.',
  },
  'NOT-2': {
    fr: 'Envoyez au nom de l’organisation : la notice nomme toujours le responsable du traitement.',
    en: 'Send in the organisation’s name: the notice always names the data controller.',
  },
  'OPT-1': {
    fr: 'Rien à faire : cette personne s’est opposée, elle ne recevra plus rien.',
    en: 'Nothing to do: this person objected and will receive nothing more.',
  },
  'SEC-1': {
    fr: 'Demandez ce droit à un propriétaire de l’organisation : votre rôle ne le permet pas.',
    en: 'Ask an owner of the organisation for this right: your role does not allow it.',
  },
  'SEC-2': {
    fr: 'Attendez la fin du délai puis réessayez, ou validez votre second facteur.',
    en: 'Wait until the delay ends and retry, or complete your second factor.',
  },
  'SEC-3': {
    fr: 'Retirez la pièce jointe qui contient des données personnelles : partagez plutôt un document sans noms ni coordonnées.',
    en: 'Remove the attachment holding personal data: share a document without names or contact details instead.',
  },
  'ACC-2': {
    fr: 'Enregistrez le récépissé de déclaration à la CNDP dans les paramètres de l’organisation.',
    en: 'Record the CNDP notification receipt in the organisation’s settings.',
  },
  'RET-1': {
    fr: 'Les données de cette élection sont échues : n’utilisez plus cette source.',
    en: 'This election’s data has expired: stop using this source.',
  },
  'SRC-4': {
    fr: 'Indiquez où, quand et avec quelle notice les coordonnées ont été recueillies.',
    en: 'Say where, when and with which notice the details were collected.',
  },
  'SRC-5': {
    fr: 'Un parrainage ne permet qu’un message, qui nomme le parrain : demandez le consentement pour la suite.',
    en: 'A referral allows one message naming the sponsor: ask for consent before any other.',
  },
  'CH-PHONE': {
    fr: 'Donnez la notice au début de l’appel et enregistrez toute opposition aussitôt.',
    en: 'Give the notice at the start of the call and record any objection at once.',
  },
  'CH-CONSENT': {
    fr: 'Enregistrez le consentement avec sa date, sa preuve et le texte exact présenté à la personne.',
    en: 'Record the consent with its date, its proof and the exact wording shown to the person.',
  },
  'CH-POST': {
    fr: 'N’écrivez qu’aux adresses issues d’une source licite, avec la notice.',
    en: 'Write only to addresses from a lawful source, with the notice.',
  },
  'CAL-2': {
    fr: 'Rattachez la source ou la campagne à son élection, avec les dates de ses tours.',
    en: 'Attach the source or campaign to its election, with its rounds’ dates.',
  },
  'OPT-2': {
    fr: 'Rien à faire : l’opposition s’applique immédiatement, aucun message ne part après.',
    en: 'Nothing to do: the objection applies at once; no message leaves after it.',
  },
  'OPT-3': {
    fr: 'N’utilisez la liste d’oppositions que pour écarter : elle ne peut servir à constituer un fichier.',
    en: 'Use the objection list only to leave people out: it can never become a file.',
  },
  'RIGHTS-1': {
    fr: 'Répondez à la demande dans le mois, par l’intermédiaire du délégué à la protection des données.',
    en: 'Answer the request within a month, through the data-protection officer.',
  },
  'RIGHTS-2': {
    fr: 'Donnez la référence du message : elle dit d’où viennent les données et pourquoi.',
    en: 'Give the message reference: it tells where the data comes from and why.',
  },
  'REP-1': {
    fr: 'Le délégué à la protection des données examine le signalement et y répond.',
    en: 'The data-protection officer reviews the report and answers it.',
  },
  'SEC-4': {
    fr: 'Consignez la violation et prévenez l’autorité de contrôle dans les 72 heures.',
    en: 'Record the breach and notify the regulator within 72 hours.',
  },
  'RET-2': {
    fr: 'Rattachez la liste à son élection : sa durée de conservation en dépend.',
    en: 'Attach the list to its election: how long it is kept depends on it.',
  },
  'ACC-1': {
    fr: 'Tenez à jour le registre des traitements de l’organisation.',
    en: 'Keep the organisation’s record of processing up to date.',
  },
  'ACC-3': {
    fr: 'Préparez le rapport de conformité (sources, consentements, oppositions) pour l’autorité.',
    en: 'Prepare the compliance report (sources, consents, objections) for the regulator.',
  },
};

export function ruleFix(rule: string, lang: Lang): string | undefined {
  return FIXES[rule]?.[lang];
}

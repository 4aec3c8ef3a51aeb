// The words of the voter's rights pages (RIGHTS-1), in the organisation's languages: French,
// English and, for a Moroccan organisation, Arabic. Plain strings and small functions; the pages
// themselves are in rights-pages.ts.
import type { VoterLang } from '../public-page.ts';

export const KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection'] as const;
export type Kind = (typeof KINDS)[number];

export const LANGUAGE_NAMES: Record<VoterLang, string> = {
  fr: 'Français',
  en: 'English',
  ar: 'العربية',
};

/** The regulator as each language names it, with its complaint address (PACKS). */
export const REGULATOR_NAMES: Record<'FR' | 'MA' | 'EU', Record<VoterLang, string>> = {
  FR: { fr: 'la CNIL', en: 'the CNIL', ar: 'اللجنة الوطنية للمعلوميات والحريات (CNIL)' },
  MA: {
    fr: 'la CNDP',
    en: 'the CNDP',
    ar: 'اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي (CNDP)',
  },
  EU: {
    fr: 'l’autorité de protection des données de votre pays',
    en: 'your national data-protection authority',
    ar: 'سلطة حماية المعطيات في بلدكم',
  },
};

export type FieldError =
  | 'kind'
  | 'address_missing'
  | 'address_both'
  /** Email only (no SMS channel yet, issue 16): no email given. */
  | 'address_missing_email'
  /** A phone number given while codes cannot go by SMS (issue 16). */
  | 'phone_unavailable'
  | 'email'
  | 'phone'
  | 'details_missing'
  | 'details_long'
  | 'ref'
  | 'code';

type Words = {
  formTitle: string;
  formHeading: (org: string) => string;
  intro: string;
  languages: string;
  kindLegend: string;
  kinds: Record<Kind, { label: string; line: string }>;
  reachLegend: string;
  reachHint: string;
  /** While codes go by email only (no SMS channel until issue 16). */
  introEmail: string;
  reachHintEmail: string;
  /** Someone with only a phone number on file: write to the DPO (named, then the email link). */
  phoneOnly: (dpo: string) => string;
  email: string;
  phone: string;
  details: string;
  detailsHint: string;
  send: string;
  identity: string;
  month: string;
  regulator: (name: string) => string;
  errorTitle: string;
  errors: Record<FieldError, string>;
  codeTitle: string;
  codeSent: string;
  codeSilent: string;
  codeLabel: string;
  codeHint: string;
  confirm: string;
  wrongCode: (left: number) => string;
  startAgain: string;
  lockedTitle: string;
  locked: string;
  expiredTitle: string;
  expired: string;
  throttledTitle: string;
  throttled: string;
  doneTitle: string;
  statusLabel: string;
  status: Record<string, string>;
  dueLabel: string;
  nextLabel: string;
  next: {
    erased: string;
    objected: string;
    queued: string;
    /** A member's objection: messages stopped at once, the DPO answers about the rest. */
    objectionQueued: string;
    nothing: string;
    answered: string;
  };
  complain: (name: string) => string;
  accessTitle: string;
  accessGenerated: (date: string) => string;
  accessNothing: string;
  record: (n: number) => string;
  sections: {
    identity: string;
    attributes: string;
    sources: string;
    consent: string;
    messages: string;
    retention: string;
  };
  none: string;
  fields: Record<string, string>;
  obtained: (date: string) => string;
  recorded: (date: string) => string;
  channels: Record<string, string>;
  actions: Record<string, string>;
  methods: Record<string, string>;
  reference: string;
  keptUntil: (date: string) => string;
  keptWhileRelationship: string;
  keptForCampaign: string;
  download: string;
};

export const WORDS: Record<VoterLang, Words> = {
  fr: {
    formTitle: 'Exercer vos droits',
    formHeading: (org) => `Vos droits sur les données que détient ${org}`,
    intro:
      'Choisissez votre demande, puis indiquez l’adresse e-mail ou le numéro de téléphone auquel nous vous écrivons.',
    languages: 'Langue',
    kindLegend: 'Votre demande',
    kinds: {
      access: {
        label: 'Accès',
        line: 'Voir toutes les données que nous détenons sur vous, d’où elles viennent et jusqu’à quand nous les gardons.',
      },
      rectification: {
        label: 'Rectification',
        line: 'Faire corriger une donnée inexacte ou incomplète (dites laquelle plus bas).',
      },
      erasure: {
        label: 'Effacement',
        line: 'Faire supprimer les données que nous détenons sur vous.',
      },
      restriction: {
        label: 'Limitation',
        line: 'Faire suspendre l’utilisation de vos données le temps d’une vérification (dites laquelle plus bas).',
      },
      objection: {
        label: 'Opposition',
        line: 'Ne plus recevoir aucun message de notre part, par aucun canal.',
      },
    },
    reachLegend: 'Où nous vous écrivons',
    reachHint: 'Remplissez l’un des deux champs : celui qui a reçu nos messages.',
    introEmail:
      'Choisissez votre demande, puis indiquez l’adresse e-mail à laquelle nous vous écrivons.',
    reachHintEmail: 'Celle qui a reçu nos messages.',
    phoneOnly: (dpo) =>
      `Si nous n’avons que votre numéro de téléphone, les codes par SMS ne sont pas encore disponibles : écrivez à notre délégué à la protection des données, ${dpo}, à l’adresse`,
    email: 'Adresse e-mail',
    phone: 'Numéro de téléphone',
    details: 'Ce qu’il faut corriger ou limiter',
    detailsHint: 'Seulement pour une rectification ou une limitation ; 2 000 caractères au plus.',
    send: 'Recevoir un code',
    identity:
      'Pour prouver que ces données sont les vôtres, nous envoyons un code à usage unique à l’adresse ou au numéro que nous avons déjà. Nous ne vous poserons jamais de questions sur vous.',
    month:
      'Nous répondons à chaque demande dans un délai d’un mois. Ce délai ne peut être prolongé qu’une fois, de deux mois au plus, et nous vous dirons pourquoi.',
    regulator: (name) => `Vous pouvez à tout moment adresser une réclamation à ${name} :`,
    errorTitle: 'Erreur',
    errors: {
      kind: 'Votre demande : choisissez l’une des cinq demandes.',
      address_missing:
        'Adresse e-mail ou numéro de téléphone : indiquez celui auquel nous vous écrivons.',
      address_both:
        'Adresse e-mail ou numéro de téléphone : indiquez l’un ou l’autre, pas les deux.',
      address_missing_email: 'Adresse e-mail : indiquez celle à laquelle nous vous écrivons.',
      phone_unavailable:
        'Numéro de téléphone : les codes par SMS ne sont pas encore disponibles. Indiquez votre adresse e-mail, ou écrivez à notre délégué à la protection des données.',
      email: 'Adresse e-mail : elle n’est pas valable.',
      phone: 'Numéro de téléphone : il n’est pas valable.',
      details_missing:
        'Ce qu’il faut corriger ou limiter : dites-le, pour une rectification ou une limitation.',
      details_long: 'Ce qu’il faut corriger ou limiter : 2 000 caractères au plus.',
      ref: 'Le lien du message n’est pas valable : la demande a été préparée sans lui, vous pouvez l’envoyer.',
      code: 'Code : saisissez les six chiffres reçus.',
    },
    codeTitle: 'Saisissez votre code',
    codeSent:
      'Si cette adresse ou ce numéro figure dans nos fichiers, nous venons d’y envoyer un code à six chiffres. Il est valable 30 minutes et ne sert qu’une fois.',
    codeSilent:
      'Si rien n’arrive, vérifiez l’adresse ou le numéro, ou faites une nouvelle demande. Cette page ne dit jamais si une adresse figure dans nos fichiers : personne ne peut ainsi vérifier celle d’un autre.',
    codeLabel: 'Code à six chiffres',
    codeHint: 'Six chiffres, sans espace.',
    confirm: 'Confirmer',
    wrongCode: (left) =>
      left === 1
        ? 'Code : ce n’est pas le bon. Il vous reste 1 essai.'
        : `Code : ce n’est pas le bon. Il vous reste ${left} essais.`,
    startAgain: 'Faire une nouvelle demande',
    lockedTitle: 'Cette demande est verrouillée',
    locked:
      'Cinq codes erronés ont été saisis : par sécurité, cette demande ne peut plus être confirmée. Faites une nouvelle demande pour recevoir un nouveau code.',
    expiredTitle: 'Ce code a expiré',
    expired:
      'Un code n’est valable que 30 minutes et une seule fois. Faites une nouvelle demande pour en recevoir un autre.',
    throttledTitle: 'Trop de demandes',
    throttled:
      'Trop de codes ont été demandés pour cette adresse ou depuis votre connexion. Merci de réessayer dans une heure.',
    doneTitle: 'Votre demande est enregistrée',
    statusLabel: 'État',
    status: {
      open: 'en cours de traitement',
      extended: 'en cours de traitement (délai prolongé)',
      answered: 'traitée',
    },
    dueLabel: 'Réponse au plus tard le',
    nextLabel: 'Et maintenant',
    next: {
      erased:
        'C’est fait : nous ne détenons plus de données liées à cette adresse. Elle reste seulement sur notre liste d’opposition, sous une forme qui ne se relit pas, pour que nous ne vous recontactions pas.',
      objected:
        'C’est fait : votre opposition est enregistrée, vous ne recevrez plus aucun message de notre part, par aucun canal.',
      queued:
        'Votre demande est transmise à notre délégué à la protection des données, qui vous répondra à cette adresse ou à ce numéro au plus tard à la date indiquée.',
      objectionQueued:
        'Votre opposition a pris effet immédiatement : vous ne recevrez plus aucun message de notre part, par aucun canal. Notre délégué à la protection des données vous répondra sur le reste au plus tard à la date indiquée.',
      nothing: 'Nous ne détenons aucune donnée liée à cette adresse : il n’y avait rien à faire.',
      answered: 'Votre demande a reçu sa réponse, envoyée à cette adresse ou à ce numéro.',
    },
    complain: (name) => `Si la réponse ne vous satisfait pas, vous pouvez saisir ${name} :`,
    accessTitle: 'Les données que nous détenons sur vous',
    accessGenerated: (date) => `Établi le ${date}.`,
    accessNothing: 'Nous ne détenons aucune donnée liée à cette adresse.',
    record: (n) => `Fiche ${n}`,
    sections: {
      identity: 'Identité et coordonnées',
      attributes: 'Autres données',
      sources: 'D’où viennent ces données',
      consent: 'Vos consentements et oppositions',
      messages: 'Les messages que nous vous avons envoyés',
      retention: 'Jusqu’à quand nous les gardons',
    },
    none: 'Aucun.',
    fields: {
      firstNames: 'Prénoms',
      birthName: 'Nom de naissance',
      usageName: 'Nom d’usage',
      birthDate: 'Date de naissance',
      email: 'Adresse e-mail',
      phone: 'Téléphone',
      streetAddress: 'Adresse',
      postalCode: 'Code postal',
      communeCode: 'Code commune',
      pollingStation: 'Bureau de vote',
      birthYear: 'Année de naissance',
      sex: 'Sexe',
      csp: 'Catégorie socioprofessionnelle',
    },
    obtained: (date) => `obtenues le ${date}`,
    recorded: (date) => `enregistrées le ${date}`,
    channels: {
      email: 'e-mail',
      sms: 'SMS',
      phone: 'téléphone',
      call: 'appel',
      letter: 'courrier',
      mail: 'courrier',
    },
    actions: { granted: 'consentement donné', withdrawn: 'consentement retiré' },
    methods: {
      web_form: 'formulaire en ligne',
      paper_form: 'formulaire papier',
      canvasser: 'auprès d’un militant',
      file: 'fichier importé',
      phone_call: 'appel téléphonique',
      email_reply: 'réponse par e-mail',
      unsubscribe_link: 'lien de désabonnement',
      sms_stop: 'STOP par SMS',
      letter: 'courrier',
      staff: 'saisi par l’équipe',
    },
    reference: 'référence',
    keptUntil: (date) => `Jusqu’au ${date}.`,
    keptWhileRelationship:
      'Tant que dure notre relation (adhésion ou soutien), puis elles sont effacées.',
    keptForCampaign:
      'Pour la durée de la campagne, dans les délais de conservation de chaque source.',
    download: 'Télécharger ces données (JSON)',
  },
  en: {
    formTitle: 'Exercise your rights',
    formHeading: (org) => `Your rights over the data ${org} holds`,
    intro: 'Choose your request, then give the email address or phone number we write to you at.',
    languages: 'Language',
    kindLegend: 'Your request',
    kinds: {
      access: {
        label: 'Access',
        line: 'See all the data we hold about you, where it comes from and until when we keep it.',
      },
      rectification: {
        label: 'Rectification',
        line: 'Have inaccurate or incomplete data corrected (say which below).',
      },
      erasure: { label: 'Erasure', line: 'Have the data we hold about you deleted.' },
      restriction: {
        label: 'Restriction',
        line: 'Have the use of your data paused while something is checked (say what below).',
      },
      objection: { label: 'Objection', line: 'Receive no more messages from us, on any channel.' },
    },
    reachLegend: 'Where we write to you',
    reachHint: 'Fill in one of the two: the one that received our messages.',
    introEmail: 'Choose your request, then give the email address we write to you at.',
    reachHintEmail: 'The one that received our messages.',
    phoneOnly: (dpo) =>
      `If we only hold your phone number, codes by SMS are not available yet: write to our data-protection officer, ${dpo}, at`,
    email: 'Email address',
    phone: 'Phone number',
    details: 'What to correct or restrict',
    detailsHint: 'Only for rectification or restriction; 2,000 characters at most.',
    send: 'Send me a code',
    identity:
      'To prove the data is yours, we send a one-time code to the address or number we already hold. We never ask you questions about yourself.',
    month:
      'We answer every request within one month. That time can be extended only once, by two months at most, and we will tell you why.',
    regulator: (name) => `You may complain at any time to ${name}:`,
    errorTitle: 'Error',
    errors: {
      kind: 'Your request: choose one of the five requests.',
      address_missing: 'Email address or phone number: give the one we write to you at.',
      address_both: 'Email address or phone number: give one or the other, not both.',
      address_missing_email: 'Email address: give the one we write to you at.',
      phone_unavailable:
        'Phone number: codes by SMS are not available yet. Give your email address, or write to our data-protection officer.',
      email: 'Email address: it is not valid.',
      phone: 'Phone number: it is not valid.',
      details_missing: 'What to correct or restrict: say it, for rectification or restriction.',
      details_long: 'What to correct or restrict: 2,000 characters at most.',
      ref: 'The message link is not valid: the request was prepared without it, you can send it.',
      code: 'Code: type the six digits you received.',
    },
    codeTitle: 'Enter your code',
    codeSent:
      'If this address or number is on file, we have just sent a six-digit code to it. It is valid for 30 minutes and works once.',
    codeSilent:
      'If nothing arrives, check the address or number, or make a new request. This page never says whether an address is on file: that way nobody can check someone else’s.',
    codeLabel: 'Six-digit code',
    codeHint: 'Six digits, no spaces.',
    confirm: 'Confirm',
    wrongCode: (left) =>
      left === 1
        ? 'Code: that is not the right one. 1 attempt left.'
        : `Code: that is not the right one. ${left} attempts left.`,
    startAgain: 'Make a new request',
    lockedTitle: 'This request is locked',
    locked:
      'Five wrong codes were entered: for safety, this request can no longer be confirmed. Make a new request to get a new code.',
    expiredTitle: 'This code has expired',
    expired:
      'A code is valid for 30 minutes and works once. Make a new request to get another one.',
    throttledTitle: 'Too many requests',
    throttled:
      'Too many codes were asked for this address or from your connection. Please try again in an hour.',
    doneTitle: 'Your request is recorded',
    statusLabel: 'Status',
    status: {
      open: 'being handled',
      extended: 'being handled (time extended)',
      answered: 'done',
    },
    dueLabel: 'Answer by',
    nextLabel: 'What happens next',
    next: {
      erased:
        'Done: we no longer hold data linked to this address. It stays only on our objection list, in a form that cannot be read back, so that we do not contact you again.',
      objected:
        'Done: your objection is recorded, you will receive no more messages from us, on any channel.',
      queued:
        'Your request has gone to our data-protection officer, who will answer you at this address or number by the date above.',
      objectionQueued:
        'Your objection took effect at once: you will receive no more messages from us, on any channel. Our data-protection officer will answer you about the rest by the date above.',
      nothing: 'We hold no data linked to this address: there was nothing to do.',
      answered: 'Your request has been answered, at this address or number.',
    },
    complain: (name) => `If the answer does not satisfy you, you may complain to ${name}:`,
    accessTitle: 'The data we hold about you',
    accessGenerated: (date) => `Drawn up on ${date}.`,
    accessNothing: 'We hold no data linked to this address.',
    record: (n) => `Record ${n}`,
    sections: {
      identity: 'Identity and contact details',
      attributes: 'Other data',
      sources: 'Where this data comes from',
      consent: 'Your consents and objections',
      messages: 'The messages we sent you',
      retention: 'Until when we keep it',
    },
    none: 'None.',
    fields: {
      firstNames: 'First names',
      birthName: 'Birth name',
      usageName: 'Name in use',
      birthDate: 'Date of birth',
      email: 'Email address',
      phone: 'Phone',
      streetAddress: 'Address',
      postalCode: 'Postal code',
      communeCode: 'Commune code',
      pollingStation: 'Polling station',
      birthYear: 'Year of birth',
      sex: 'Sex',
      csp: 'Occupational category',
    },
    obtained: (date) => `obtained on ${date}`,
    recorded: (date) => `recorded on ${date}`,
    channels: {
      email: 'email',
      sms: 'SMS',
      phone: 'phone',
      call: 'call',
      letter: 'letter',
      mail: 'letter',
    },
    actions: { granted: 'consent given', withdrawn: 'consent withdrawn' },
    methods: {
      web_form: 'online form',
      paper_form: 'paper form',
      canvasser: 'through a canvasser',
      file: 'imported file',
      phone_call: 'phone call',
      email_reply: 'email reply',
      unsubscribe_link: 'unsubscribe link',
      sms_stop: 'SMS STOP',
      letter: 'letter',
      staff: 'entered by staff',
    },
    reference: 'reference',
    keptUntil: (date) => `Until ${date}.`,
    keptWhileRelationship:
      'While our relationship lasts (membership or support), then it is erased.',
    keptForCampaign: 'For the campaign, within each source’s retention period.',
    download: 'Download this data (JSON)',
  },
  ar: {
    formTitle: 'ممارسة حقوقكم',
    formHeading: (org) => `حقوقكم في المعطيات التي يحتفظ بها ${org}`,
    intro: 'اختاروا طلبكم، ثم أدخلوا عنوان البريد الإلكتروني أو رقم الهاتف الذي نراسلكم عليه.',
    languages: 'اللغة',
    kindLegend: 'طلبكم',
    kinds: {
      access: {
        label: 'الولوج',
        line: 'الاطلاع على جميع المعطيات التي نحتفظ بها عنكم، ومصدرها، وإلى متى نحتفظ بها.',
      },
      rectification: {
        label: 'التصحيح',
        line: 'تصحيح معطيات غير دقيقة أو ناقصة (حددوها أدناه).',
      },
      erasure: { label: 'المحو', line: 'حذف المعطيات التي نحتفظ بها عنكم.' },
      restriction: {
        label: 'تقييد المعالجة',
        line: 'إيقاف استعمال معطياتكم مؤقتاً ريثما يتم التحقق من أمر ما (حددوه أدناه).',
      },
      objection: { label: 'التعرض', line: 'عدم تلقي أي رسالة منا بعد الآن، عبر أي قناة.' },
    },
    reachLegend: 'العنوان الذي نراسلكم عليه',
    reachHint: 'املؤوا أحد الحقلين: الذي تلقى رسائلنا.',
    introEmail: 'اختاروا طلبكم، ثم أدخلوا عنوان البريد الإلكتروني الذي نراسلكم عليه.',
    reachHintEmail: 'العنوان الذي تلقى رسائلنا.',
    phoneOnly: (dpo) =>
      `إذا لم يكن لدينا سوى رقم هاتفكم، فإن الرموز عبر الرسائل القصيرة غير متاحة بعد: راسلوا المسؤول عن حماية المعطيات لدينا، ${dpo}، على العنوان`,
    email: 'عنوان البريد الإلكتروني',
    phone: 'رقم الهاتف',
    details: 'ما يجب تصحيحه أو تقييده',
    detailsHint: 'في حالة التصحيح أو التقييد فقط؛ 2000 حرف على الأكثر.',
    send: 'أرسلوا لي رمزاً',
    identity:
      'لإثبات أن هذه المعطيات تخصكم، نرسل رمزاً صالحاً لمرة واحدة إلى العنوان أو الرقم المسجل لدينا. ولن نطرح عليكم أبداً أسئلة عن أنفسكم.',
    month:
      'نجيب على كل طلب في أجل أقصاه شهر واحد. ولا يمكن تمديد هذا الأجل إلا مرة واحدة، بشهرين على الأكثر، مع إخباركم بالسبب.',
    regulator: (name) => `يمكنكم في أي وقت تقديم شكاية إلى ${name}:`,
    errorTitle: 'خطأ',
    errors: {
      kind: 'طلبكم: اختاروا أحد الطلبات الخمسة.',
      address_missing: 'البريد الإلكتروني أو رقم الهاتف: أدخلوا الذي نراسلكم عليه.',
      address_both: 'البريد الإلكتروني أو رقم الهاتف: أدخلوا أحدهما فقط، لا كليهما.',
      address_missing_email: 'عنوان البريد الإلكتروني: أدخلوا العنوان الذي نراسلكم عليه.',
      phone_unavailable:
        'رقم الهاتف: الرموز عبر الرسائل القصيرة غير متاحة بعد. أدخلوا عنوان بريدكم الإلكتروني، أو راسلوا المسؤول عن حماية المعطيات لدينا.',
      email: 'عنوان البريد الإلكتروني: غير صالح.',
      phone: 'رقم الهاتف: غير صالح.',
      details_missing: 'ما يجب تصحيحه أو تقييده: اذكروه، في حالة التصحيح أو التقييد.',
      details_long: 'ما يجب تصحيحه أو تقييده: 2000 حرف على الأكثر.',
      ref: 'رابط الرسالة غير صالح: تم إعداد الطلب بدونه، ويمكنكم إرساله.',
      code: 'الرمز: أدخلوا الأرقام الستة التي توصلتم بها.',
    },
    codeTitle: 'أدخلوا الرمز',
    codeSent:
      'إذا كان هذا العنوان أو الرقم مسجلاً لدينا، فقد أرسلنا إليه للتو رمزاً من ستة أرقام. وهو صالح لمدة 30 دقيقة ولمرة واحدة فقط.',
    codeSilent:
      'إذا لم يصلكم شيء، فتحققوا من العنوان أو الرقم، أو قدموا طلباً جديداً. لا تكشف هذه الصفحة أبداً ما إذا كان عنوان ما مسجلاً لدينا، حتى لا يتمكن أحد من التحقق من عنوان شخص آخر.',
    codeLabel: 'الرمز المكون من ستة أرقام',
    codeHint: 'ستة أرقام، بدون فراغات.',
    confirm: 'تأكيد',
    wrongCode: (left) => `الرمز: غير صحيح. عدد المحاولات المتبقية: ${left}.`,
    startAgain: 'تقديم طلب جديد',
    lockedTitle: 'هذا الطلب مقفل',
    locked:
      'تم إدخال خمسة رموز خاطئة: لأسباب أمنية، لم يعد بالإمكان تأكيد هذا الطلب. قدموا طلباً جديداً للحصول على رمز جديد.',
    expiredTitle: 'انتهت صلاحية هذا الرمز',
    expired: 'الرمز صالح لمدة 30 دقيقة ولمرة واحدة فقط. قدموا طلباً جديداً للحصول على رمز آخر.',
    throttledTitle: 'طلبات كثيرة جداً',
    throttled: 'طُلب عدد كبير من الرموز لهذا العنوان أو من اتصالكم. يرجى إعادة المحاولة بعد ساعة.',
    doneTitle: 'تم تسجيل طلبكم',
    statusLabel: 'الحالة',
    status: {
      open: 'قيد المعالجة',
      extended: 'قيد المعالجة (تم تمديد الأجل)',
      answered: 'تمت معالجته',
    },
    dueLabel: 'الجواب في أجل أقصاه',
    nextLabel: 'الخطوة التالية',
    next: {
      erased:
        'تم ذلك: لم نعد نحتفظ بأي معطيات مرتبطة بهذا العنوان. ويبقى فقط في قائمة التعرض لدينا، في صيغة لا يمكن قراءتها، حتى لا نتصل بكم مجدداً.',
      objected: 'تم ذلك: تم تسجيل تعرضكم، ولن تتلقوا منا أي رسالة بعد الآن، عبر أي قناة.',
      queued:
        'أُحيل طلبكم إلى المسؤول عن حماية المعطيات لدينا، الذي سيجيبكم على هذا العنوان أو الرقم في أجل أقصاه التاريخ المذكور أعلاه.',
      objectionQueued:
        'سرى تعرضكم فوراً: لن تتلقوا منا أي رسالة بعد الآن، عبر أي قناة. وسيجيبكم المسؤول عن حماية المعطيات لدينا عن الباقي في أجل أقصاه التاريخ المذكور أعلاه.',
      nothing: 'لا نحتفظ بأي معطيات مرتبطة بهذا العنوان: لم يكن هناك ما يجب فعله.',
      answered: 'تمت الإجابة على طلبكم، على هذا العنوان أو الرقم.',
    },
    complain: (name) => `إذا لم يرضكم الجواب، يمكنكم تقديم شكاية إلى ${name}:`,
    accessTitle: 'المعطيات التي نحتفظ بها عنكم',
    accessGenerated: (date) => `أُعد بتاريخ ${date}.`,
    accessNothing: 'لا نحتفظ بأي معطيات مرتبطة بهذا العنوان.',
    record: (n) => `البطاقة ${n}`,
    sections: {
      identity: 'الهوية ووسائل الاتصال',
      attributes: 'معطيات أخرى',
      sources: 'مصدر هذه المعطيات',
      consent: 'موافقاتكم وتعرضاتكم',
      messages: 'الرسائل التي أرسلناها إليكم',
      retention: 'إلى متى نحتفظ بها',
    },
    none: 'لا شيء.',
    fields: {
      firstNames: 'الأسماء الشخصية',
      birthName: 'الاسم العائلي عند الولادة',
      usageName: 'الاسم المستعمل',
      birthDate: 'تاريخ الازدياد',
      email: 'البريد الإلكتروني',
      phone: 'الهاتف',
      streetAddress: 'العنوان',
      postalCode: 'الرمز البريدي',
      communeCode: 'رمز الجماعة',
      pollingStation: 'مكتب التصويت',
      birthYear: 'سنة الازدياد',
      sex: 'الجنس',
      csp: 'الفئة السوسيومهنية',
    },
    obtained: (date) => `حُصل عليها بتاريخ ${date}`,
    recorded: (date) => `سُجلت بتاريخ ${date}`,
    channels: {
      email: 'البريد الإلكتروني',
      sms: 'رسالة نصية',
      phone: 'الهاتف',
      call: 'مكالمة',
      letter: 'رسالة بريدية',
      mail: 'رسالة بريدية',
    },
    actions: { granted: 'موافقة', withdrawn: 'سحب الموافقة' },
    methods: {
      web_form: 'استمارة إلكترونية',
      paper_form: 'استمارة ورقية',
      canvasser: 'عن طريق مناضل',
      file: 'ملف مستورد',
      phone_call: 'مكالمة هاتفية',
      email_reply: 'رد بالبريد الإلكتروني',
      unsubscribe_link: 'رابط إلغاء الاشتراك',
      sms_stop: 'STOP عبر رسالة نصية',
      letter: 'رسالة بريدية',
      staff: 'أدخله الفريق',
    },
    reference: 'المرجع',
    keptUntil: (date) => `إلى غاية ${date}.`,
    keptWhileRelationship: 'ما دامت علاقتنا قائمة (عضوية أو دعم)، ثم تُمحى.',
    keptForCampaign: 'طوال مدة الحملة، في حدود آجال الاحتفاظ الخاصة بكل مصدر.',
    download: 'تنزيل هذه المعطيات (JSON)',
  },
};

const LOCALES: Record<VoterLang, string> = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA' };
const DATE_FORMATS = Object.fromEntries(
  Object.entries(LOCALES).map(([lang, locale]) => [
    lang,
    new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
  ]),
) as Record<VoterLang, Intl.DateTimeFormat>;

/** A date (a `Date`, an ISO timestamp or a calendar day) in the page's language; raw if unreadable. */
export function dateIn(lang: VoterLang, value: Date | string): string {
  const date =
    value instanceof Date
      ? value
      : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? String(value) : DATE_FORMATS[lang].format(date);
}

/** The source types in Arabic, one wording shared with the message's page (the domain's);
 * French and English: notice-words.ts, as the notices say them. */
export { AR_SOURCE as SOURCE_TYPES_AR } from '../../domain/rights/message-facts.ts';

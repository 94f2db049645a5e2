import type { ReportLanguage } from './wording';

/**
 * What the report API names in English, in EN/FR/NL, by the report's stable identifiers:
 * `col.<key>` a column (`col.<table>.<key>` and `col.<kind>.<table>.<key>` where one key
 * means something else in that table), `table.<name>` (`table.<kind>.<name>`) a table's
 * title, `chart.<id>` a chart's title, `fig.*` a summary figure or a series, `unit.*` a
 * summary row's unit. `{subject}` is the report's subject, other `{names}` the table's `params`;
 * `export.*` and `csv.*` the words of the CSV and HTML downloads themselves. Read by wording.ts,
 * for the web app's report pages and the downloads alike.
 */
export const reportLabels = {
  // Figures (report.ts FIGURE_COLUMNS): columns, and the rows of summary tables.
  'col.recipients': { en: 'Recipients', fr: 'Destinataires', nl: 'Ontvangers' },
  'col.delivered': { en: 'Delivered', fr: 'Remis', nl: 'Afgeleverd' },
  'col.deliveryRate': { en: 'Delivery rate', fr: 'Taux de remise', nl: 'Afleveringsgraad' },
  'col.hardBounceRate': { en: 'Hard bounce rate', fr: 'Taux de rejet définitif', nl: 'Harde bouncegraad' },
  'col.softBounceRate': { en: 'Soft bounce rate', fr: 'Taux de rejet temporaire', nl: 'Zachte bouncegraad' },
  'col.complaintRate': { en: 'Complaint rate', fr: 'Taux de plaintes', nl: 'Klachtengraad' },
  'col.spamRate': { en: 'Spam rate', fr: 'Taux de spam', nl: 'Spamgraad' },
  'col.uniqueOpensHuman': {
    en: 'Unique opens (human)',
    fr: 'Ouvertures uniques (humaines)',
    nl: 'Unieke openingen (mensen)',
  },
  'col.uniqueOpens': {
    en: 'Unique opens (all)',
    fr: 'Ouvertures uniques (toutes)',
    nl: 'Unieke openingen (alle)',
  },
  'col.openRateHuman': {
    en: 'Open rate (human)',
    fr: 'Taux d’ouverture (humain)',
    nl: 'Openingsgraad (mensen)',
  },
  'col.openRate': { en: 'Open rate (all)', fr: 'Taux d’ouverture (tous)', nl: 'Openingsgraad (alle)' },
  'col.uniqueClicksHuman': {
    en: 'Unique clicks (human)',
    fr: 'Clics uniques (humains)',
    nl: 'Unieke kliks (mensen)',
  },
  'col.variants.uniqueClicks': {
    en: 'Unique clicks (all)',
    fr: 'Clics uniques (tous)',
    nl: 'Unieke kliks (alle)',
  },
  'col.uniqueClicks': { en: 'Unique clicks', fr: 'Clics uniques', nl: 'Unieke kliks' },
  'col.clickThroughRateHuman': { en: 'CTR (human)', fr: 'Taux de clic (humain)', nl: 'CTR (mensen)' },
  'col.clickThroughRate': { en: 'CTR (all)', fr: 'Taux de clic (tous)', nl: 'CTR (alle)' },
  'col.clickToOpenRateHuman': {
    en: 'CTOR (human)',
    fr: 'Clics par ouverture (humain)',
    nl: 'CTOR (mensen)',
  },
  'col.clickToOpenRate': { en: 'CTOR (all)', fr: 'Clics par ouverture (tous)', nl: 'CTOR (alle)' },
  'col.unsubscribes': { en: 'Unsubscribes', fr: 'Désabonnements', nl: 'Uitschrijvingen' },
  'col.unsubscribeRate': { en: 'Unsubscribe rate', fr: 'Taux de désabonnement', nl: 'Uitschrijvingsgraad' },
  // Other columns.
  'col.figure': { en: 'Figure', fr: 'Indicateur', nl: 'Cijfer' },
  'col.value': { en: 'Value', fr: 'Valeur', nl: 'Waarde' },
  'col.post.benchmarks.value': { en: '{subject}', fr: '{subject}', nl: '{subject}' },
  'col.unit': { en: 'Unit', fr: 'Unité', nl: 'Eenheid' },
  'col.audience': { en: 'Audience', fr: 'Public', nl: 'Publiek' },
  'col.language': { en: 'Language', fr: 'Langue', nl: 'Taal' },
  'col.posts.language': { en: 'Main language', fr: 'Langue principale', nl: 'Hoofdtaal' },
  'col.subject': { en: 'Subject', fr: 'Objet', nl: 'Onderwerp' },
  'col.link': { en: 'Link', fr: 'Lien', nl: 'Link' },
  'col.url': { en: 'Address', fr: 'Adresse', nl: 'Adres' },
  'col.clicks': { en: 'Clicks', fr: 'Clics', nl: 'Kliks' },
  'col.after-send.clicks': { en: 'Clicks (all)', fr: 'Clics (tous)', nl: 'Kliks (alle)' },
  'col.clickRate': {
    en: 'Unique clicks / recipients',
    fr: 'Clics uniques / destinataires',
    nl: 'Unieke kliks / ontvangers',
  },
  'col.links.clickRate': {
    en: 'Unique clicks / delivered',
    fr: 'Clics uniques / remis',
    nl: 'Unieke kliks / afgeleverd',
  },
  'col.when': { en: 'After the send', fr: 'Après l’envoi', nl: 'Na de verzending' },
  'col.opens_h': { en: 'Opens (human)', fr: 'Ouvertures (humaines)', nl: 'Openingen (mensen)' },
  'col.opens': { en: 'Opens (all)', fr: 'Ouvertures (toutes)', nl: 'Openingen (alle)' },
  'col.uopens': { en: 'First opens', fr: 'Premières ouvertures', nl: 'Eerste openingen' },
  'col.clicks_h': { en: 'Clicks (human)', fr: 'Clics (humains)', nl: 'Kliks (mensen)' },
  'col.uclicks': { en: 'First clicks', fr: 'Premiers clics', nl: 'Eerste kliks' },
  'col.edition': { en: 'Edition', fr: 'Édition', nl: 'Editie' },
  'col.hq-broadcasts.edition': { en: 'Broadcast', fr: 'Diffusion', nl: 'Rondzending' },
  'col.crisis.edition': { en: 'Alert', fr: 'Alerte', nl: 'Waarschuwing' },
  'col.title': { en: 'Title', fr: 'Titre', nl: 'Titel' },
  'col.sentAt': { en: 'Sent', fr: 'Envoi', nl: 'Verzonden' },
  'col.month': { en: 'Month', fr: 'Mois', nl: 'Maand' },
  'col.new': { en: 'New', fr: 'Nouveaux', nl: 'Nieuw' },
  'col.confirmed': { en: 'Confirmed', fr: 'Confirmés', nl: 'Bevestigd' },
  'col.unsubscribed': { en: 'Unsubscribed', fr: 'Désabonnés', nl: 'Uitgeschreven' },
  'col.cleaned': { en: 'Cleaned (suppressed)', fr: 'Retirés (bloqués)', nl: 'Opgeschoond (geblokkeerd)' },
  'col.net': { en: 'Net', fr: 'Net', nl: 'Netto' },
  'col.networkMedian': { en: 'Network median', fr: 'Médiane du réseau', nl: 'Mediaan van het netwerk' },
  'col.peerMedian': { en: 'Peer median', fr: 'Médiane des pairs', nl: 'Mediaan van de peers' },
  'col.peers': { en: 'Peers', fr: 'Pairs', nl: 'Peers' },
  'col.percentile': { en: 'Percentile', fr: 'Centile', nl: 'Percentiel' },
  'col.editions': { en: 'Editions', fr: 'Éditions', nl: 'Edities' },
  'col.rank': { en: 'Rank', fr: 'Rang', nl: 'Rang' },
  'col.post': { en: 'Post', fr: 'Poste', nl: 'Post' },
  'col.name': { en: 'Name', fr: 'Nom', nl: 'Naam' },
  'col.region': { en: 'Region', fr: 'Région', nl: 'Regio' },
  'col.band': { en: 'List size band', fr: 'Tranche de taille de liste', nl: 'Klasse van lijstgrootte' },
  'col.listSize': { en: 'List size', fr: 'Taille de la liste', nl: 'Lijstgrootte' },
  'col.engagementRate': { en: 'Engagement rate', fr: 'Taux d’engagement', nl: 'Betrokkenheidsgraad' },
  'col.engagementMedianGap': {
    en: 'vs network median',
    fr: 'écart à la médiane du réseau',
    nl: 't.o.v. mediaan van het netwerk',
  },
  'col.change': { en: 'Change (points)', fr: 'Variation (points)', nl: 'Verandering (punten)' },
  'col.threshold': { en: 'Line', fr: 'Seuil', nl: 'Grens' },
  'col.subscribers': {
    en: 'People subscribed anywhere',
    fr: 'Personnes abonnées quelque part',
    nl: 'Mensen ergens ingeschreven',
  },
  'col.reach': { en: 'Reach', fr: 'Portée', nl: 'Bereik' },
  'col.seconds': { en: 'Delivery time', fr: 'Délai de remise', nl: 'Afleveringstijd' },
  'col.story': { en: 'Story', fr: 'Article', nl: 'Artikel' },
  'col.kind': { en: 'Kind', fr: 'Type', nl: 'Soort' },
  'col.posts': { en: 'Posts', fr: 'Postes', nl: 'Posten' },
  'col.languages': { en: 'Languages', fr: 'Langues', nl: 'Talen' },
  'col.stories.recipients': {
    en: 'Recipients reached',
    fr: 'Destinataires atteints',
    nl: 'Bereikte ontvangers',
  },
  'col.kinds.recipients': {
    en: 'Recipients reached',
    fr: 'Destinataires atteints',
    nl: 'Bereikte ontvangers',
  },
  'col.stories': { en: 'Stories', fr: 'Articles', nl: 'Artikels' },

  // Table titles, by the table's name.
  'table.summary': { en: 'Totals', fr: 'Totaux', nl: 'Totalen' },
  'table.edition.summary': { en: 'Edition totals', fr: 'Totaux de l’édition', nl: 'Totalen van de editie' },
  'table.network.summary': { en: 'Network totals', fr: 'Totaux du réseau', nl: 'Totalen van het netwerk' },
  'table.variants': { en: 'Per variant', fr: 'Par variante', nl: 'Per variant' },
  'table.links': { en: 'Top links', fr: 'Liens les plus cliqués', nl: 'Meest aangeklikte links' },
  'table.after-send': {
    en: 'Opens and clicks after the send (hour by hour, then day by day)',
    fr: 'Ouvertures et clics après l’envoi (heure par heure, puis jour par jour)',
    nl: 'Openingen en kliks na de verzending (per uur, dan per dag)',
  },
  'table.editions': { en: 'Editions', fr: 'Éditions', nl: 'Edities' },
  'table.months': { en: 'Monthly trend', fr: 'Tendance mensuelle', nl: 'Maandelijkse trend' },
  'table.list-growth': { en: 'List growth', fr: 'Croissance des listes', nl: 'Groei van de lijsten' },
  'table.post.benchmarks': {
    en: 'Beside the network and the peer group ({peers}: region/main language/list-size band)',
    fr: 'Face au réseau et au groupe de pairs ({peers} : région/langue principale/tranche de taille de liste)',
    nl: 'Naast het netwerk en de peergroep ({peers}: regio/hoofdtaal/klasse van lijstgrootte)',
  },
  'table.network.benchmarks': {
    en: 'Each post beside the network and its peers (same region, main language, list-size band)',
    fr: 'Chaque poste face au réseau et à ses pairs (même région, langue principale, tranche de taille de liste)',
    nl: 'Elke post naast het netwerk en zijn peers (zelfde regio, hoofdtaal, klasse van lijstgrootte)',
  },
  'table.network.posts': {
    en: 'Posts ranked by engagement rate',
    fr: 'Postes classés par taux d’engagement',
    nl: 'Posten gerangschikt op betrokkenheidsgraad',
  },
  'table.story.posts': {
    en: 'Unique clicks by post',
    fr: 'Clics uniques par poste',
    nl: 'Unieke kliks per post',
  },
  'table.most-improved': {
    en: 'Most improved engagement rate, {quarter} against the quarter before',
    fr: 'Plus forte hausse du taux d’engagement, {quarter} par rapport au trimestre précédent',
    nl: 'Grootste stijging van de betrokkenheidsgraad, {quarter} tegenover het kwartaal ervoor',
  },
  'table.deliverability': {
    en: 'Posts over a deliverability line (SES review: bounces 5 %, complaints 0.1 %; Gmail spam rate 0.3 %)',
    fr: 'Postes au-delà d’un seuil de délivrabilité (examen SES : rejets 5 %, plaintes 0,1 % ; taux de spam Gmail 0,3 %)',
    nl: 'Posten boven een grens voor afleverbaarheid (SES-controle: bounces 5 %, klachten 0,1 %; spamgraad Gmail 0,3 %)',
  },
  'table.hq-broadcasts': {
    en: 'HQ broadcasts: people reached among everyone subscribed to a post',
    fr: 'Diffusions du siège : personnes atteintes parmi toutes celles abonnées à un poste',
    nl: 'Rondzendingen van het hoofdkantoor: bereikte mensen onder alle ingeschrevenen van een post',
  },
  'table.crisis': {
    en: 'Crisis alerts: time from the alert to its last message accepted by SES',
    fr: 'Alertes de crise : délai entre l’alerte et son dernier message accepté par SES',
    nl: 'Crisiswaarschuwingen: tijd van de waarschuwing tot haar laatste bericht aanvaard door SES',
  },
  'table.languages': {
    en: 'Unique clicks by language',
    fr: 'Clics uniques par langue',
    nl: 'Unieke kliks per taal',
  },
  'table.stories': {
    en: 'Stories ranked by unique clicks',
    fr: 'Articles classés par clics uniques',
    nl: 'Artikels gerangschikt op unieke kliks',
  },
  'table.kinds': { en: 'Kinds', fr: 'Types', nl: 'Soorten' },

  // Chart titles, by the chart's id.
  'chart.after-send-hours': {
    en: 'Opens and clicks, hour by hour, in the first 24 hours',
    fr: 'Ouvertures et clics, heure par heure, pendant les 24 premières heures',
    nl: 'Openingen en kliks, per uur, in de eerste 24 uur',
  },
  'chart.after-send-days': {
    en: 'Opens and clicks, day by day, to the seventh day',
    fr: 'Ouvertures et clics, jour par jour, jusqu’au septième jour',
    nl: 'Openingen en kliks, per dag, tot de zevende dag',
  },
  'chart.variants': {
    en: 'Open rate and CTR per variant',
    fr: 'Taux d’ouverture et de clic par variante',
    nl: 'Openingsgraad en CTR per variant',
  },
  'chart.months': { en: 'Monthly trend', fr: 'Tendance mensuelle', nl: 'Maandelijkse trend' },
  'chart.list-growth': {
    en: 'List growth per month',
    fr: 'Croissance des listes par mois',
    nl: 'Groei van de lijsten per maand',
  },
  'chart.benchmarks': {
    en: '{subject} beside the network median and its peers',
    fr: '{subject} face à la médiane du réseau et à ses pairs',
    nl: '{subject} naast de mediaan van het netwerk en zijn peers',
  },
  'chart.posts': {
    en: 'Open rate (human) of each post, and the network median',
    fr: 'Taux d’ouverture (humain) de chaque poste, et la médiane du réseau',
    nl: 'Openingsgraad (mensen) van elke post, en de mediaan van het netwerk',
  },
  'chart.languages': {
    en: 'Unique clicks by language',
    fr: 'Clics uniques par langue',
    nl: 'Unieke kliks per taal',
  },
  'chart.kinds': { en: 'Unique clicks by kind', fr: 'Clics uniques par type', nl: 'Unieke kliks per soort' },

  // Summary figures and series that are no column (see FIGURES below).
  'fig.editionStatus': { en: 'Edition status', fr: 'Statut de l’édition', nl: 'Status van de editie' },
  'fig.engagement3m': {
    en: 'Engagement rate (3 months)',
    fr: 'Taux d’engagement (3 mois)',
    nl: 'Betrokkenheidsgraad (3 maanden)',
  },
  'fig.engagement3mHuman': {
    en: 'Engagement rate (3 months, human)',
    fr: 'Taux d’engagement (3 mois, humain)',
    nl: 'Betrokkenheidsgraad (3 maanden, mensen)',
  },
  'fig.sentTo3m': {
    en: 'People sent to (3 months)',
    fr: 'Personnes destinataires (3 mois)',
    nl: 'Mensen naar wie verzonden is (3 maanden)',
  },
  'fig.engaged3m': {
    en: 'People who opened or clicked (3 months)',
    fr: 'Personnes ayant ouvert ou cliqué (3 mois)',
    nl: 'Mensen die openden of klikten (3 maanden)',
  },
  'fig.newSubscriptions': {
    en: 'New subscriptions',
    fr: 'Nouveaux abonnements',
    nl: 'Nieuwe inschrijvingen',
  },
  'fig.netGrowth': {
    en: 'Net list growth',
    fr: 'Croissance nette des listes',
    nl: 'Netto groei van de lijsten',
  },
  'fig.sendingPosts': {
    en: 'Posts that sent at least one edition',
    fr: 'Postes ayant envoyé au moins une édition',
    nl: 'Posten die minstens één editie verzonden',
  },
  'fig.adoption': { en: 'Adoption', fr: 'Adoption', nl: 'Gebruik' },
  'fig.hqBroadcasts': {
    en: 'HQ broadcasts',
    fr: 'Diffusions du siège',
    nl: 'Rondzendingen van het hoofdkantoor',
  },
  'fig.hqReach': {
    en: 'HQ reach (people reached / people subscribed anywhere)',
    fr: 'Portée du siège (personnes atteintes / personnes abonnées quelque part)',
    nl: 'Bereik van het hoofdkantoor (bereikte mensen / mensen ergens ingeschreven)',
  },
  'fig.crisisAlerts': { en: 'Crisis alerts', fr: 'Alertes de crise', nl: 'Crisiswaarschuwingen' },
  'fig.crisisMean': {
    en: 'Crisis mean delivery time',
    fr: 'Délai moyen de remise des alertes',
    nl: 'Gemiddelde afleveringstijd bij crisis',
  },
  'fig.crisisLongest': {
    en: 'Crisis longest delivery time',
    fr: 'Délai de remise le plus long des alertes',
    nl: 'Langste afleveringstijd bij crisis',
  },
  'fig.postsUsing': {
    en: 'Posts that used it',
    fr: 'Postes qui l’ont utilisé',
    nl: 'Posten die het gebruikten',
  },
  'fig.cleaned': { en: 'Cleaned', fr: 'Retirés', nl: 'Opgeschoond' },

  // Report titles (with `{filter}` appended as the API does when filtered).
  'remark.title.edition': {
    en: 'Edition "{title}" ({post})',
    fr: 'Édition « {title} » ({post})',
    nl: 'Editie "{title}" ({post})',
  },
  'remark.title.network': { en: 'The network', fr: 'Le réseau', nl: 'Het netwerk' },
  'remark.title.audience.kind': {
    en: 'Audience kind "{subject}" across the network',
    fr: 'Type de public « {subject} » dans tout le réseau',
    nl: 'Soort publiek "{subject}" in het hele netwerk',
  },
  'remark.title.audience.language': {
    en: 'Language "{subject}" across the network',
    fr: 'Langue « {subject} » dans tout le réseau',
    nl: 'Taal "{subject}" in het hele netwerk',
  },
  'remark.title.story': { en: 'Story "{title}"', fr: 'Article « {title} »', nl: 'Artikel "{title}"' },
  'remark.title.story.leaderboard': {
    en: 'Central stories: leaderboard',
    fr: 'Articles centraux : classement',
    nl: 'Centrale artikels: rangschikking',
  },
  // Notes and warnings, by the report's remarks (report.ts Remark): `{value}`s formatted by the page.
  'remark.engagement': {
    en: 'Engagement rate (GovDelivery/Granicus): unique people who opened or clicked / unique people sent to, in {from} to {to} (docs/metrics.md).',
    fr: 'Taux d’engagement (GovDelivery/Granicus) : personnes uniques ayant ouvert ou cliqué / personnes uniques destinataires, de {from} à {to} (docs/metrics.md).',
    nl: 'Betrokkenheidsgraad (GovDelivery/Granicus): unieke mensen die openden of klikten / unieke mensen naar wie verzonden is, van {from} tot {to} (docs/metrics.md).',
  },
  'remark.benchmarkGroup': {
    en: "Medians and percentiles are shown for groups of at least {min} posts with a value, so that no other post's figures can be worked out from them (docs/metrics.md).",
    fr: 'Les médianes et les percentiles ne sont montrés que pour des groupes d’au moins {min} postes ayant une valeur, afin qu’on ne puisse en déduire les chiffres d’aucun autre poste (docs/metrics.md).',
    nl: 'Medianen en percentielen worden alleen getoond voor groepen van minstens {min} posten met een waarde, zodat er de cijfers van geen enkele andere post uit af te leiden zijn (docs/metrics.md).',
  },
  'remark.engagement.network': {
    en: "Engagement rate (GovDelivery/Granicus): unique people who opened or clicked / unique people sent to, in {from} to {to} (docs/metrics.md). A person who reads several posts counts once in the network's rate.",
    fr: 'Taux d’engagement (GovDelivery/Granicus) : personnes uniques ayant ouvert ou cliqué / personnes uniques destinataires, de {from} à {to} (docs/metrics.md). Une personne qui lit plusieurs postes compte une fois dans le taux du réseau.',
    nl: 'Betrokkenheidsgraad (GovDelivery/Granicus): unieke mensen die openden of klikten / unieke mensen naar wie verzonden is, van {from} tot {to} (docs/metrics.md). Wie meerdere posten leest, telt één keer mee in de graad van het netwerk.',
  },
  'remark.hq-reach': {
    en: 'HQ reach: people an HQ broadcast was sent to / people subscribed to any post when it went out (each person once; those who asked for no HQ broadcast count as not reached).',
    fr: 'Portée du siège : personnes à qui une diffusion du siège a été envoyée / personnes abonnées à un poste au moment de l’envoi (chaque personne une fois ; celles qui ne veulent aucune diffusion du siège comptent comme non atteintes).',
    nl: 'Bereik van het hoofdkantoor: mensen naar wie een rondzending van het hoofdkantoor verzonden is / mensen ingeschreven bij een post op het moment van verzending (elke persoon één keer; wie geen rondzending van het hoofdkantoor wil, telt als niet bereikt).',
  },
  'remark.story.months': {
    en: "Recipients reached and unique clicks: in the period's months only (the items' monthly counters).",
    fr: 'Destinataires atteints et clics uniques : dans les mois de la période seulement (les compteurs mensuels des contenus).',
    nl: 'Bereikte ontvangers en unieke kliks: alleen in de maanden van de periode (de maandelijkse tellers van de items).',
  },
  'remark.story.leaderboard': {
    en: 'A story is one piece of central content in every language it was used in.',
    fr: 'Un article est un contenu central, dans toutes les langues où il a été utilisé.',
    nl: 'Een artikel is één stuk centrale inhoud, in elke taal waarin het gebruikt werd.',
  },
  'remark.edition.sent': {
    en: 'Sent {sentAt}; status {status}. Series from {start}.',
    fr: 'Envoyée le {sentAt} ; statut : {status}. Séries à partir de {start}.',
    nl: 'Verzonden op {sentAt}; status: {status}. Reeksen vanaf {start}.',
  },
  'remark.edition.unsent': {
    en: 'Not sent; status {status}. Series from {start}.',
    fr: 'Pas envoyée ; statut : {status}. Séries à partir de {start}.',
    nl: 'Niet verzonden; status: {status}. Reeksen vanaf {start}.',
  },
  'remark.filtered': {
    en: "Filtered to {filter}: tables with a post, audience or language column keep only those rows; totals and monthly trends are the whole report's.",
    fr: 'Filtré sur {filter} : les tableaux avec une colonne poste, public ou langue ne gardent que ces lignes ; les totaux et tendances mensuelles sont ceux du rapport entier.',
    nl: 'Gefilterd op {filter}: tabellen met een kolom post, publiek of taal houden alleen die rijen; totalen en maandtrends zijn die van het hele rapport.',
  },
  'remark.line': {
    en: "{about}: {figure} {value} reaches {who}'s line of {threshold}",
    fr: '{about} : {figure} {value} atteint le seuil fixé par {who} ({threshold})',
    nl: '{about}: {figure} {value} bereikt de grens van {who} ({threshold})',
  },
  'remark.line.edition': {
    en: "edition: {figure} {value} reaches {who}'s line of {threshold}",
    fr: 'édition : {figure} {value} atteint le seuil fixé par {who} ({threshold})',
    nl: 'editie: {figure} {value} bereikt de grens van {who} ({threshold})',
  },
  'remark.line.editionOf': {
    en: "edition {about}: {figure} {value} reaches {who}'s line of {threshold}",
    fr: 'édition {about} : {figure} {value} atteint le seuil fixé par {who} ({threshold})',
    nl: 'editie {about}: {figure} {value} bereikt de grens van {who} ({threshold})',
  },
  'remark.line.network': {
    en: "network: {figure} {value} reaches {who}'s line of {threshold}",
    fr: 'réseau : {figure} {value} atteint le seuil fixé par {who} ({threshold})',
    nl: 'netwerk: {figure} {value} bereikt de grens van {who} ({threshold})',
  },
  'remark.line.post': {
    en: '{post}: {figure} {value} reaches the line of {threshold}',
    fr: '{post} : {figure} {value} atteint le seuil de {threshold}',
    nl: '{post}: {figure} {value} bereikt de grens van {threshold}',
  },

  // Values that are ids (metrics.ts LIST_SIZE_BANDS); story kinds are compose's `contentKind.*`.
  'band.small': { en: 'small', fr: 'petite', nl: 'klein' },
  'band.medium': { en: 'medium', fr: 'moyenne', nl: 'middelgroot' },
  'band.large': { en: 'large', fr: 'grande', nl: 'groot' },

  // The edition report's steps after the send.
  'remark.after.hour': { en: 'hour {n}', fr: 'heure {n}', nl: 'uur {n}' },
  'remark.after.day': { en: 'day {n}', fr: 'jour {n}', nl: 'dag {n}' },

  'unit.rate': { en: 'rate', fr: 'taux', nl: 'graad' },
  'unit.count': { en: 'count', fr: 'nombre', nl: 'aantal' },
  'unit.seconds': { en: 'seconds', fr: 'secondes', nl: 'seconden' },

  // The downloads' own words (output.ts): the HTML's header, the CSV's header row.
  'export.period': {
    en: 'Period {from} to {to}',
    fr: 'Période du {from} au {to}',
    nl: 'Periode van {from} tot {to}',
  },
  'export.generated': {
    en: 'Generated {at} · missive usage report ({kind})',
    fr: 'Produit le {at} · rapport d’usage missive ({kind})',
    nl: 'Gemaakt op {at} · gebruiksrapport missive ({kind})',
  },
  'export.warnings': {
    en: 'Deliverability warnings',
    fr: 'Avertissements de délivrabilité',
    nl: 'Waarschuwingen over afleverbaarheid',
  },
  'export.warning': { en: 'WARNING', fr: 'AVERTISSEMENT', nl: 'WAARSCHUWING' },
  'export.note': { en: 'Note', fr: 'Note', nl: 'Opmerking' },
  'export.none': { en: '(none)', fr: '(aucune ligne)', nl: '(geen rijen)' },
  'export.kind.edition': { en: 'edition', fr: 'édition', nl: 'editie' },
  'export.kind.post': { en: 'post', fr: 'poste', nl: 'post' },
  'export.kind.audience': { en: 'audience', fr: 'public', nl: 'publiek' },
  'export.kind.story': { en: 'story', fr: 'article', nl: 'artikel' },
  'export.kind.network': { en: 'network', fr: 'réseau', nl: 'netwerk' },
  'csv.report': { en: 'report', fr: 'rapport', nl: 'rapport' },
  'csv.subject': { en: 'subject', fr: 'objet', nl: 'onderwerp' },
  'csv.table': { en: 'table', fr: 'tableau', nl: 'tabel' },
  'csv.row': { en: 'row', fr: 'ligne', nl: 'rij' },
  'csv.column': { en: 'column', fr: 'colonne', nl: 'kolom' },
  'csv.label': { en: 'label', fr: 'libellé', nl: 'label' },
  'csv.value': { en: 'value', fr: 'valeur', nl: 'waarde' },
} as const satisfies Record<string, Record<ReportLanguage, string>>;

/**
 * Values that are ids, in a report's cells, notes and filters, and on the web app's pages
 * (its texts take them in as they are): an edition's status, a region, an audience kind, a story's kind.
 */
export const reportValues = {
  'status.draft': { en: 'Draft', fr: 'Brouillon', nl: 'Concept' },
  'status.in-review': { en: 'In review', fr: 'En relecture', nl: 'Ter nalezing' },
  'status.approved': { en: 'Approved', fr: 'Approuvée', nl: 'Goedgekeurd' },
  'status.scheduled': { en: 'Scheduled', fr: 'Planifiée', nl: 'Gepland' },
  'status.sending': { en: 'Sending', fr: 'En cours d’envoi', nl: 'Wordt verzonden' },
  'status.sent': { en: 'Sent', fr: 'Envoyée', nl: 'Verzonden' },
  'status.cancelled': { en: 'Cancelled', fr: 'Annulée', nl: 'Geannuleerd' },
  'region.africa': { en: 'Africa', fr: 'Afrique', nl: 'Afrika' },
  'region.americas': { en: 'Americas', fr: 'Amériques', nl: 'Amerika' },
  'region.asia': { en: 'Asia', fr: 'Asie', nl: 'Azië' },
  'region.europe': { en: 'Europe', fr: 'Europe', nl: 'Europa' },
  'region.oceania': { en: 'Oceania', fr: 'Océanie', nl: 'Oceanië' },
  'audienceKind.economic': { en: 'Economic', fr: 'Économique', nl: 'Economisch' },
  'audienceKind.cultural': { en: 'Cultural', fr: 'Culturel', nl: 'Cultureel' },
  'audienceKind.consular': { en: 'Consular', fr: 'Consulaire', nl: 'Consulair' },
  'audienceKind.custom': { en: 'Other', fr: 'Autre', nl: 'Andere' },
  'contentKind.article': { en: 'Article', fr: 'Article', nl: 'Artikel' },
  'contentKind.event': { en: 'Event', fr: 'Événement', nl: 'Evenement' },
  'contentKind.famous-belgian': { en: 'Famous Belgian', fr: 'Belge célèbre', nl: 'Bekende Belg' },
} as const satisfies Record<string, Record<ReportLanguage, string>>;

export type ReportLabelKey = keyof typeof reportLabels;

/**
 * The one map from the API's English labels of summary figures (a cell, not a key) and of
 * chart series to their texts. A label not here (a new figure, a post code) shows as the API wrote it.
 */
export const FIGURES: Readonly<Record<string, ReportLabelKey>> = {
  Recipients: 'col.recipients',
  Delivered: 'col.delivered',
  'Delivery rate': 'col.deliveryRate',
  'Hard bounce rate': 'col.hardBounceRate',
  'Soft bounce rate': 'col.softBounceRate',
  'Complaint rate': 'col.complaintRate',
  'Spam rate': 'col.spamRate',
  'Unique opens (human)': 'col.uniqueOpensHuman',
  'Unique opens (all)': 'col.uniqueOpens',
  'Open rate (human)': 'col.openRateHuman',
  'Open rate (all)': 'col.openRate',
  'Unique clicks (human)': 'col.uniqueClicksHuman',
  'Unique clicks (all)': 'col.variants.uniqueClicks',
  'CTR (human)': 'col.clickThroughRateHuman',
  'CTR (all)': 'col.clickThroughRate',
  'CTOR (human)': 'col.clickToOpenRateHuman',
  'CTOR (all)': 'col.clickToOpenRate',
  Unsubscribes: 'col.unsubscribes',
  'Unsubscribe rate': 'col.unsubscribeRate',
  'Engagement rate': 'col.engagementRate',
  'Edition status': 'fig.editionStatus',
  Editions: 'col.editions',
  'Engagement rate (3 months)': 'fig.engagement3m',
  'Engagement rate (3 months, human)': 'fig.engagement3mHuman',
  'People sent to (3 months)': 'fig.sentTo3m',
  'People who opened or clicked (3 months)': 'fig.engaged3m',
  'New subscriptions': 'fig.newSubscriptions',
  'Net list growth': 'fig.netGrowth',
  Posts: 'col.posts',
  'Posts that sent at least one edition': 'fig.sendingPosts',
  Adoption: 'fig.adoption',
  'HQ broadcasts': 'fig.hqBroadcasts',
  'HQ reach (people reached / people subscribed anywhere)': 'fig.hqReach',
  'Crisis alerts': 'fig.crisisAlerts',
  'Crisis mean delivery time': 'fig.crisisMean',
  'Crisis longest delivery time': 'fig.crisisLongest',
  'Posts that used it': 'fig.postsUsing',
  Languages: 'col.languages',
  'Recipients reached': 'col.stories.recipients',
  'Unique clicks': 'col.uniqueClicks',
  'Unique clicks / recipients': 'col.clickRate',
  'Opens (human)': 'col.opens_h',
  'Opens (all)': 'col.opens',
  'Clicks (human)': 'col.clicks_h',
  'Clicks (all)': 'col.after-send.clicks',
  Confirmed: 'col.confirmed',
  Unsubscribed: 'col.unsubscribed',
  Cleaned: 'fig.cleaned',
  'Network median': 'col.networkMedian',
  'Peer median': 'col.peerMedian',
};

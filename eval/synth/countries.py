"""Countries a synthetic report can be about: names from pycountry, capitals and demonyms from a
small table (pycountry has neither). Countries the seed report itself mentions (Senegal, Burkina
Faso, Nigeria, ...) are left out so a substituted report never names its own country twice."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

# alpha-2 -> (capital, demonym); African, Asian and Latin American countries, none named in the seed
_TABLE: dict[str, tuple[str, str]] = {
    "KE": ("Nairobi", "Kenyan"), "UG": ("Kampala", "Ugandan"), "ZM": ("Lusaka", "Zambian"),
    "MW": ("Lilongwe", "Malawian"), "RW": ("Kigali", "Rwandan"), "ET": ("Addis Ababa", "Ethiopian"),
    "MG": ("Antananarivo", "Malagasy"), "CM": ("Yaoundé", "Cameroonian"), "BJ": ("Porto-Novo", "Beninese"),
    "TG": ("Lomé", "Togolese"), "TZ": ("Dodoma", "Tanzanian"), "MZ": ("Maputo", "Mozambican"),
    "NP": ("Kathmandu", "Nepali"), "KH": ("Phnom Penh", "Cambodian"), "BD": ("Dhaka", "Bangladeshi"),
    "MN": ("Ulaanbaatar", "Mongolian"), "LK": ("Colombo", "Sri Lankan"), "UZ": ("Tashkent", "Uzbek"),
    "PY": ("Asunción", "Paraguayan"), "BO": ("La Paz", "Bolivian"), "HN": ("Tegucigalpa", "Honduran"),
    "PE": ("Lima", "Peruvian"), "EC": ("Quito", "Ecuadorian"), "NI": ("Managua", "Nicaraguan"),
    "CO": ("Bogotá", "Colombian"),
}
# countries a question may name although no generated report covers them (unindexed-country questions)
UNINDEXED_POOL = ("ML", "GH", "SL", "LR", "AO", "NA", "BW", "ZW", "PK", "ID", "LA", "JM", "HT", "CR", "SV", "GY")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2
    alpha3: str
    name: str
    capital: str
    demonym: str

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


def country_name(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        raise KeyError(f"unknown country code {code!r}")
    # "Bolivia, Plurinational State of" -> "Bolivia": the form a report's prose uses
    return getattr(c, "common_name", None) or c.name.split(",")[0]


def country(code: str) -> Country:
    capital, demonym = _TABLE[code]
    c = pycountry.countries.get(alpha_2=code)
    return Country(code, c.alpha_3, country_name(code), capital, demonym)


def candidates() -> list[str]:
    return sorted(_TABLE)

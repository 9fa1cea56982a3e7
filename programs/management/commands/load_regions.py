"""Load Kemendagri regions from idn-area-data: a regency with its kecamatan and desa, or a province
with its regencies.

python manage.py load_regions 53.03     # Kabupaten Timor Tengah Utara: 24 kecamatan, 193 desa
python manage.py load_regions 53        # Nusa Tenggara Timur and its regencies
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programs.models import Region
from programs.regions import RegionError, load_regions


class Command(BaseCommand):
    help = "Load a province (e.g. 53) with its regencies, or a regency (e.g. 53.03) with its kecamatan and desa."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE", help="Kemendagri code of a province or regency")

    def handle(self, *args, codes, **options):
        for code in codes:
            try:
                result = load_regions(code)
            except RegionError as error:
                raise CommandError(str(error)) from None
            below = ", ".join(f"{count} {Region.Level(level).label.lower()}" for level, count in result.counts.items())
            self.stdout.write(
                _("%(code)s %(name)s: %(below)s (%(created)s created, %(updated)s updated, %(unchanged)s unchanged).")
                % {
                    "code": result.region.code,
                    "name": result.region.name,
                    "below": below,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )

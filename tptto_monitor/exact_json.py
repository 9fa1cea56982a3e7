"""Django's JSON serialisation with timestamps kept to the microsecond, for backups.

Django's own JSON encoder follows ECMA-262 and cuts a timestamp to the millisecond, so a restore
moved every `created_at`, `verified_at` and history date by up to a millisecond, and the order of
two events within one millisecond could be lost. This format writes them whole; it is plain JSON,
read back by Django's own `json` deserializer (which parses six fraction digits).
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "json-exact"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


from django.core.serializers.json import Deserializer  # noqa: E402, F401  (plain JSON reads it back)

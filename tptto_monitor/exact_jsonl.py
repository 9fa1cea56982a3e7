"""Django's JSON lines serialisation with timestamps kept to the microsecond, for backups (see exact_json).

One row per line, so a restore reads them one at a time; read back by Django's own `jsonl` deserializer.
"""

from django.core.serializers.jsonl import Deserializer  # noqa: F401  (plain JSON lines read it back)
from django.core.serializers.jsonl import Serializer as JSONLinesSerializer

from tptto_monitor.exact_json import ExactEncoder

FORMAT = "jsonl-exact"


class Serializer(JSONLinesSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder

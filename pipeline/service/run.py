"""Start the service under uvicorn with checked settings (``billfacts serve``).

One uvicorn process serves HTTP; ``--workers`` is the number of analysis processes behind it
(``analyzer.py``), which take requests as they come free. (uvicorn's own ``--workers`` would run one
event loop per process, each accepting whatever connections it wins: uneven under a burst. It also binds
its shared socket with protocol number 0, on which asyncio never sets TCP_NODELAY, and every response
then waited 40 ms for the client's delayed ACK.)"""

from __future__ import annotations

import os

from .settings import ServiceSettings

APP = "billfacts.service.app:app_from_env"


def run(settings: ServiceSettings) -> None:
    import uvicorn

    settings.check()
    os.environ.update(settings.to_env())  # the app is built from these, as in any deployment by env
    uvicorn.run(APP, factory=True, host=settings.host, port=settings.port, log_level=settings.log_level,
                server_header=False, date_header=False)

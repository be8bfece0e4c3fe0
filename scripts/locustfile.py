"""The users of `make loadtest` (scripts/loadtest.sh runs this file with locust; docs/performance.md explains).

Three anonymous visitors for every partner. A visitor browses the public directory in one language:
first page, other pages, searches and filters (half of them as the htmx requests the page's own
script sends), and opens profiles found on the pages it saw. A partner signs in once with one of the
demo logins, then opens the dashboard, the library, the newsletter and downloads library files.

Each simulated person waits 1 to 3 s between pages: a busy human, so 50 users ask for about 25 pages
a second, what several hundred real visitors reading each page for 10 to 30 s would. Requests are
named by route group, so the statistics have one row per kind of page. Any 4xx or 5xx, a sign-in
that does not lead into the extranet, or a page without what it must show counts as a failure.
"""

import itertools
import json
import os
import random
import re
import time

import gevent
import psutil
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = "demo-partner-2005"  # the demo's published password (README.md)
LOGINS = itertools.cycle(["accredited@demo.example", "certified@demo.example", "enterprise@demo.example"])
# URL prefix per language; English, the default, has none. Most visitors read English.
LANGUAGE_PREFIXES = [""] * 6 + ["/de"] * 3 + ["/fr"] * 2
# What people type: places, postcodes, parts of company names, trades (partners/scale/data.py).
SEARCH_TERMS = [
    "Zürich", "zurich", "Bern", "Basel", "Luzern", "Winterthur", "St. Gallen", "Lausanne", "Genève", "geneve",
    "Lugano", "Fribourg", "Neuchâtel", "Sion", "Zug", "Berlin", "München", "Wien", "Graz", "8005", "3011", "1003",
    "Limmat", "Pilatus", "Plainpalais", "Léman", "Gotthard", "Ceresio", "Spree", "Wachau", "security",
    "Informatik", "Systemhaus", "informatique", "Réseaux", "Müller", "consulting",
]  # fmt: skip
FILTERS = {
    "tier": ["certified", "enterprise"],
    "country": ["CH", "DE", "AT"],
    "canton": ["ZH", "BE", "VD", "GE", "BS", "LU", "TI", "SG", "AG", "ZG", "FR", "VS"],
    "language": ["de", "fr", "it", "en"],
    "service": ["installation", "consulting", "managed", "training"],
}
PROFILE_LINK = re.compile(r'href="((?:/[a-z]{2})?/partners/[a-z0-9-]+/)"')
LAST_PAGE = re.compile(r'[?&;]page=(\d+)"')
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js|svg))"')
DOWNLOAD_LINK = re.compile(r'href="((?:/[a-z]{2})?/extranet/library/\d+/download/)"')
ISSUE_LINK = re.compile(r'href="((?:/[a-z]{2})?/extranet/newsletter/\d+/)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(FastHttpUser):
    """Someone looking for a partner near them, in one language for the whole visit."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.prefix = random.choice(LANGUAGE_PREFIXES)
        self.profiles: list[str] = []
        self.last_page = 1
        page = self.page("directory")
        # A first visit also fetches the hashed static files; the browser caches them afterwards.
        for asset in sorted(set(ASSET.findall(page))):
            self.client.get(asset, name="static (first visit)")

    def page(self, name: str, params: dict | None = None, htmx: bool = False) -> str:
        """A page of the directory; remember its profile links. The first page listing nobody is a failure."""
        path = self.prefix + "/partners/"
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + path} if htmx else {}
        with self.client.get(path, params=params, headers=headers, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200:
                return ""
            found = PROFILE_LINK.findall(text)
            if not found and name == "directory":
                response.failure("no partner listed")
            self.profiles = found or self.profiles
            if name == "directory":
                self.last_page = max([int(n) for n in LAST_PAGE.findall(text)] or [1])
            return text

    @task(4)
    def directory(self):
        self.page("directory")

    @task(3)
    def directory_page(self):
        # People page forward from the start far more often than they jump to the end.
        number = min(int(random.expovariate(1 / 4)) + 2, max(self.last_page, 2))
        self.page("directory ?page=", {"page": number}, htmx=random.random() < 0.5)

    @task(5)
    def search(self):
        self.page("directory ?q=", {"q": random.choice(SEARCH_TERMS)}, htmx=random.random() < 0.5)

    @task(3)
    def filter(self):
        chosen = random.sample(sorted(FILTERS), k=random.randint(1, 2))
        params = {key: random.choice(FILTERS[key]) for key in chosen}
        self.page("directory ?filters", params, htmx=random.random() < 0.5)

    @task(6)
    def profile(self):
        if self.profiles:
            # Profile links already carry the language prefix.
            self.client.get(random.choice(self.profiles), name="profile")

    @task(1)
    def home(self):
        self.client.get(self.prefix + "/", name="programme (home)")


class Partner(FastHttpUser):
    """A partner's employee with the extranet open: dashboard, library, downloads, newsletter."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.email = next(LOGINS)
        self.downloads: list[str] = []
        self.issues: list[str] = []
        form = self.client.get("/accounts/login/", name="sign-in form").text or ""
        token = CSRF_FIELD.search(form)
        # Django checks the Referer of an HTTPS form post; a browser sends it.
        with self.client.post(
            "/accounts/login/",
            data={"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False,
            name="sign-in",
            catch_response=True,
        ) as response:
            signed_in = response.status_code == 302 and "/accounts/" not in (response.headers.get("Location") or "")
            if not signed_in:
                response.failure(f"sign-in of {self.email} failed: HTTP {response.status_code}")
        if not signed_in:
            raise StopUser  # without a session every later page would only redirect to the sign-in
        self.dashboard()

    def extranet_page(self, name: str, path: str) -> str:
        """An extranet page; being sent to the sign-in instead (the session lost) is a failure."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{self.email}: HTTP {response.status_code} {response.headers.get('Location', '')}")
                return ""
            return response.text or ""

    @task(3)
    def dashboard(self):
        self.extranet_page("dashboard", "/extranet/")

    @task(3)
    def library(self):
        page = self.extranet_page("library", "/extranet/library/")
        self.downloads = DOWNLOAD_LINK.findall(page) or self.downloads

    @task(2)
    def download(self):
        if not self.downloads:
            self.library()
        if self.downloads:
            self.extranet_page("library download", random.choice(self.downloads))

    @task(1)
    def newsletter(self):
        page = self.extranet_page("newsletter", "/extranet/newsletter/")
        self.issues = ISSUE_LINK.findall(page) or self.issues
        if self.issues:
            self.extranet_page("newsletter issue", random.choice(self.issues))


# --- The run's result for scripts/loadtest.sh: statistics as locust computes them, and where the CPU went ---
_run: dict = {}


def _process_times() -> dict[int, tuple[str, float]]:
    """Per process: its kind (a part of the stack, locust, PostgreSQL, Redis) and its CPU seconds so far."""
    stack = psutil.Process(int(os.environ["LOADTEST_SERVE_PID"]))
    database = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
    kinds = {stack.pid: "app", os.getpid(): "locust"}
    for child in stack.children(recursive=True):
        try:
            kinds[child.pid] = "nginx" if child.name().startswith("nginx") else "app"
        except psutil.Error:  # ended meanwhile
            continue
    found = {}
    for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
        times, command = process.info["cpu_times"], " ".join(process.info["cmdline"] or [])
        kind = kinds.get(process.pid)
        if kind is None and command.startswith("postgres:") and f" {database} " in command:
            kind = "PostgreSQL"
        elif kind is None and process.info["name"] == "redis-server":
            kind = "Redis"
        if kind and times is not None:
            found[process.pid] = (kind, times.user + times.system)
    return found


def _machine_times() -> tuple[float, float]:
    """Busy and idle CPU seconds of the whole machine so far."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    return sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0), idle


@events.init.add_listener
def _remember(environment, **kwargs):
    _run["environment"] = environment


def _sample_processes() -> None:
    """Note each process's CPU seconds; a PostgreSQL connection ends after DJANGO_CONN_MAX_AGE (60 s)."""
    _run["last"].update(_process_times())


def _sampler() -> None:
    while True:
        gevent.sleep(5)  # one sample takes about 5 ms of locust's time
        _sample_processes()


@events.test_start.add_listener
def _cpu_at_start(environment, **kwargs):
    if os.environ.get("LOADTEST_SERVE_PID"):
        _run.update(started=time.monotonic(), machine=_machine_times(), load_before=os.getloadavg()[0], last={})
        _run["baseline"] = {pid: cpu for pid, (_kind, cpu) in _process_times().items()}
        _run["sampler"] = gevent.spawn(_sampler)


@events.test_stop.add_listener
def _cpu_at_stop(environment, **kwargs):
    """Each part's share of all cores over the run; "other" is everybody else on the machine, and the kernel."""
    if "started" not in _run:
        return
    _run["sampler"].kill()
    _sample_processes()
    busy, idle = (end - start for end, start in zip(_machine_times(), _run["machine"], strict=True))
    used: dict[str, float] = {}
    for pid, (kind, cpu) in _run["last"].items():
        used[kind] = used.get(kind, 0.0) + cpu - _run["baseline"].get(pid, 0.0)
    used["other"] = max(busy - sum(used.values()), 0.0)
    total = max(busy + idle, 1e-9)
    shares = {kind: 100 * value / total for kind, value in sorted(used.items(), key=lambda item: -item[1])}
    _run["cpu"] = {
        "seconds": time.monotonic() - _run["started"],
        "shares": shares | {"idle": 100 * idle / total},
        "load_before": round(_run["load_before"], 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


@events.quit.add_listener
def _write_result(exit_code, **kwargs):
    """Written after the last request ended (locust's --csv files may miss the last second)."""
    if not os.environ.get("LOADTEST_RESULT_FILE") or "environment" not in _run:
        return
    stats = _run["environment"].stats

    def figures(entry) -> dict:
        percentiles = {f"p{round(p * 100)}": entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)}
        return {
            "method": entry.method or "",
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "max": entry.max_response_time,
        } | percentiles

    result = {
        "entries": [figures(entry) for _, entry in sorted(stats.entries.items())],
        "total": figures(stats.total),
        "errors": [{"error": error.to_name(), "occurrences": error.occurrences} for error in stats.errors.values()],
        "cpu": _run.get("cpu", {}),
    }
    with open(os.environ["LOADTEST_RESULT_FILE"], "w") as handle:
        json.dump(result, handle, indent=1)

"""Screenshot a report page in headless Chromium, as the README shows it (docs/report.png).

    python scripts/report_screenshot.py outputs/gov/report.html docs/report.png --open 三个代表

It drives the same browser as the tests (the Debian packages chromium and
chromium-driver, through selenium), with a fresh profile and no network.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--hide-scrollbars")


def screenshot(page: Path, out: Path, *, phrase: str | None = None, width: int = 1400, height: int = 1000,
               chromium: str = "/usr/bin/chromium", chromedriver: str = "/usr/bin/chromedriver") -> Path:
    """Open ``page``, open the panel of ``phrase`` if given, and save a PNG of the window to ``out``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="miner-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS + (f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.get(Path(page).resolve().as_uri())
        if phrase:
            driver.execute_script("window.minerReport.openPhrase(arguments[0])", phrase)
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if errors:
            raise SystemExit(f"{page}: the page logged errors: {errors}")
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the report page (miner report -o …)")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--open", dest="phrase", help="a slogan whose panel to open first")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    print(f"written: {screenshot(args.page, args.out, phrase=args.phrase, width=args.width, height=args.height)}")


if __name__ == "__main__":
    main()

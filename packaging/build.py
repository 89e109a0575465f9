"""Build the release: `python packaging/build.py [--no-installer] [--skip-build]`.

1. PyInstaller with packaging/nominator.spec → dist/推荐材料助手/ (onedir, two programs).
2. The frozen programs' `--selftest` in a clean environment (no PYTHONPATH, no venv, a fresh
   home and temp folder): fails on a non-zero exit OR on any output to stderr, since a stray
   warning in the build is a warning a clerk would see, or a sign of something missing.
3. The portable zip dist/推荐材料助手-<version>-portable.zip.
4. On Windows, the installer with Inno Setup's ISCC when it is on PATH (or installed in the
   usual place) and --no-installer is not given.
Prints the build time and the size of what was built. Exit 0 only when every step passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import spec_helpers  # noqa: E402
import version_info  # noqa: E402

ROOT = spec_helpers.ROOT
DIST = ROOT / "dist"
WORK = ROOT / "build"
SELFTEST_TIMEOUT = 180  # seconds; it takes about 10 on a 2-core machine
IS_WINDOWS = sys.platform == "win32"
ISCC_DEFAULTS = [
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe",
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Inno Setup 6" / "ISCC.exe",
    Path(os.environ.get("LOCALAPPDATA", r"C:\Users\Default\AppData\Local"))
    / "Programs"
    / "Inno Setup 6"
    / "ISCC.exe",
]


class BuildFailed(Exception):
    pass


def bundle_dir() -> Path:
    return DIST / spec_helpers.dist_name()


def exe_path(name: str) -> Path:
    return bundle_dir() / (f"{name}.exe" if IS_WINDOWS else name)


def portable_zip_path() -> Path:
    meta = spec_helpers.package_metadata()
    return DIST / f"{meta['app_name']}-{meta['version']}-portable.zip"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MiB"


# ---- 1. PyInstaller -----------------------------------------------------------------------


def run_pyinstaller() -> None:
    if not spec_helpers.ICON_ICO.is_file():
        raise BuildFailed(f"icon missing: {spec_helpers.ICON_ICO} (run packaging/make_icon.py)")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={DIST}",
        f"--workpath={WORK / 'pyinstaller'}",
        str(HERE / "nominator.spec"),
    ]
    print("== PyInstaller:", " ".join(command[3:]), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildFailed("PyInstaller failed (see its output above)")
    missing = spec_helpers.runtime_paths_ok(bundle_dir())
    if missing:
        raise BuildFailed(f"the bundle lacks: {', '.join(missing)}")


# ---- 2. the frozen self-test ------------------------------------------------------------


def clean_environment(home: Path) -> dict[str, str]:
    """What a clerk's session has, and nothing of the build machine's Python or Qt settings."""
    env: dict[str, str] = {"QT_QPA_PLATFORM": "offscreen", "NOMINATOR_DATA_DIR": str(home / "data")}
    if IS_WINDOWS:
        for key in ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS"):
            if key in os.environ:
                env[key] = os.environ[key]
        system = Path(os.environ.get("SYSTEMROOT", r"C:\Windows"))
        env["PATH"] = f"{system / 'System32'};{system}"
        env.update(
            USERPROFILE=str(home),
            APPDATA=str(home / "AppData" / "Roaming"),
            LOCALAPPDATA=str(home / "AppData" / "Local"),
            TEMP=str(home / "Temp"),
            TMP=str(home / "Temp"),
        )
    else:
        env.update(PATH="/usr/bin:/bin", HOME=str(home), TMPDIR=str(home / "tmp"), LANG="C.UTF-8")
    for key in ("TEMP", "TMPDIR"):
        if key in env:
            Path(env[key]).mkdir(parents=True, exist_ok=True)
    return env


def run_selftest(exe: Path) -> float:
    """Run `exe --selftest`; return its wall time. Raises BuildFailed on exit ≠ 0 or any stderr."""
    with tempfile.TemporaryDirectory(prefix="nominator-frozen-") as name:
        home = Path(name)
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [str(exe), "--selftest"],
                cwd=home,
                env=clean_environment(home),
                capture_output=True,
                timeout=SELFTEST_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise BuildFailed(f"{exe.name} --selftest did not finish in {SELFTEST_TIMEOUT} s") from exc
        elapsed = time.perf_counter() - started
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    for line in stdout.splitlines():
        print(f"   {line}")
    if done.returncode != 0 or stderr.strip():
        for line in stderr.splitlines():
            print(f"   stderr: {line}")
        raise BuildFailed(
            f"{exe.name} --selftest: exit {done.returncode}"
            + (", and it wrote to stderr" if stderr.strip() else "")
        )
    return elapsed


# ---- 3. portable zip, 4. installer --------------------------------------------------------


def write_portable_zip() -> Path:
    target = portable_zip_path()
    partial = target.with_name(target.name + ".part")
    bundle = bundle_dir()
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                zf.write(path, Path(bundle.name, path.relative_to(bundle)).as_posix())
    partial.replace(target)
    return target


def find_iscc() -> Path | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    return next((p for p in ISCC_DEFAULTS if p.is_file()), None) if IS_WINDOWS else None


def build_installer(iscc: Path) -> Path:
    defines = version_info.write_inno_defines(WORK / "installer" / "version.iss")
    meta = spec_helpers.package_metadata()
    command = [
        str(iscc),
        "/Qp",
        f"/DVersionInclude={defines}",
        f"/DSourceDir={bundle_dir()}",
        f"/DIconFile={spec_helpers.ICON_ICO}",
        f"/O{DIST}",
        str(HERE / "installer.iss"),
    ]
    print("== Inno Setup:", " ".join(command), flush=True)
    if subprocess.run(command, cwd=HERE, check=False).returncode != 0:
        raise BuildFailed("ISCC failed (see its output above)")
    return DIST / f"{meta['app_name']}-{meta['version']}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the frozen program, smoke-test it, package it.")
    parser.add_argument("--no-installer", action="store_true", help="skip Inno Setup even on Windows")
    parser.add_argument("--skip-build", action="store_true", help="test and package the existing dist/")
    args = parser.parse_args(argv)
    meta = spec_helpers.package_metadata()
    started = time.perf_counter()
    try:
        if not args.skip_build:
            run_pyinstaller()
        elif not bundle_dir().is_dir():
            raise BuildFailed(f"nothing built yet: {bundle_dir()}")
        build_seconds = time.perf_counter() - started
        print(f"== frozen self-test ({meta['app_name']} {meta['version']})", flush=True)
        timings = []
        for name in (spec_helpers.CLI_NAME, spec_helpers.gui_name()):
            print(f"-- {exe_path(name).name} --selftest", flush=True)
            timings.append(f"{exe_path(name).name} {run_selftest(exe_path(name)):.1f} s")
        portable = write_portable_zip()
        installer = None
        if IS_WINDOWS and not args.no_installer:
            iscc = find_iscc()
            if iscc is None:
                print("== Inno Setup 6 (ISCC.exe) not found: installer skipped, portable zip only")
            else:
                installer = build_installer(iscc)
    except BuildFailed as exc:
        print(f"BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    total = time.perf_counter() - started
    print("== done")
    print(f"   PyInstaller build: {build_seconds:.0f} s; whole run: {total:.0f} s")
    print(f"   self-test: {'; '.join(timings)}")
    print(f"   {bundle_dir().relative_to(ROOT)}: {mib(folder_size(bundle_dir()))}")
    print(f"   {portable.relative_to(ROOT)}: {mib(portable.stat().st_size)}")
    if installer is not None and installer.is_file():
        print(f"   {installer.relative_to(ROOT)}: {mib(installer.stat().st_size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

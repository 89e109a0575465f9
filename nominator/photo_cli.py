"""`nominator photo check` and `nominator photo fix`: the photo rules on loose files.

Exit codes as for every command: 0 nothing wrong / fixed, 1 problems found, 2 could not run
(raised as UserError; cli.main prints its one Chinese line).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from nominator.campaign import PhotoRules
from nominator.domain.photo import FIX_HINT, check_photo_name, format_size, inspect_photo, normalize_birth
from nominator.domain.photofix import fix_photo
from nominator.domain.problems import Problem
from nominator.errors import UserError
from nominator.files import write_atomically


def _read(path: Path) -> bytes:
    if not path.exists():
        raise UserError(f"找不到照片文件“{path}”,请检查路径。")
    if not path.is_file():
        raise UserError(f"“{path}”不是文件,请指定照片文件。")
    return path.read_bytes()


def _check_birth(birth: str | None) -> None:
    if birth is not None and normalize_birth(birth) is None:
        raise UserError(f"出生日期“{birth}”不是有效日期,请按 YYYYMMDD 填写,例如 19660101。")


def photo_check_cli(
    files: list[Path], *, name: str | None, birth: str | None, as_json: bool, rules: PhotoRules
) -> int:
    _check_birth(birth)
    all_problems: list[Problem] = []
    lines: list[str] = []
    for path in files:
        data = _read(path)
        target = path.name
        verdict = inspect_photo(data, rules, target=target)
        problems = [
            _for_the_command_line(p)
            for p in (*check_photo_name(path.name, name=name, birth=birth, target=target), *verdict.problems)
        ]
        all_problems.extend(problems)
        mark = "通过" if not any(p.is_error for p in problems) else "不通过"
        lines.append(f"[{mark}] {path.name}:{verdict.summary()}")
        lines.extend(f"    [{'错误' if p.is_error else '警告'}] {p.rule} {p.message}" for p in problems)
    errors = sum(1 for p in all_problems if p.is_error)
    warnings = len(all_problems) - errors
    if as_json:
        summary = {"problems": [p.as_json() for p in all_problems], "errors": errors, "warnings": warnings}
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))
        print(f"共检查 {len(files)} 张照片:错误 {errors} 项,警告 {warnings} 项。")
    return 1 if errors else 0


def _for_the_command_line(problem: Problem) -> Problem:
    """The window's 点击“自动处理” is this command line's photo fix."""
    return dataclasses.replace(problem, message=problem.message.replace(FIX_HINT, CLI_FIX_HINT))


CLI_FIX_HINT = "运行“nominator photo fix”"


def photo_fix_cli(file: Path, *, name: str, birth: str, out: Path, rules: PhotoRules) -> int:
    _check_birth(birth)
    data = _read(file)
    result = fix_photo(data, rules, name=name, birth=birth)
    target = out / result.file_name
    if target.resolve() == file.resolve():
        raise UserError("输出位置与原照片相同,为保护原照片,请另选一个输出文件夹。")
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(target, result.data)  # never half a photo under the right name
    print(f"处理前:{file.name}:{result.before.summary()}")
    for problem in result.before.problems:
        print(f"    {problem.message}")
    print(f"处理后:{result.file_name}:{result.after.summary()}")
    for change in result.changes:
        print(f"    {change}")
    print(f"已保存:{target}(原照片未改动,{format_size(len(data))})")
    return 1 if not result.after.ok else 0

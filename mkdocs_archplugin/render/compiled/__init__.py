"""The shipped templates compiled by Jinja (see render/precompiled.py). Generated: do not edit."""

SETTINGS = "('3.1.6', False, 'CodeGenerator', '{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, False, False, False, False, [], [], [], [('abs', None), ('attr', 'environment'), ('batch', None), ('capitalize', None), ('cell', None), ('cellprose', None), ('center', None), ('code', None), ('count', None), ('d', None), ('default', None), ('dictsort', None), ('e', None), ('escape', None), ('example', None), ('fence', None), ('filesizeformat', None), ('first', 'environment'), ('float', None), ('forceescape', None), ('format', None), ('groupby', 'environment'), ('html_block', 'context'), ('htmlcell', None), ('indent', None), ('inlineprose', None), ('int', None), ('items', None), ('join', 'eval_context'), ('last', 'environment'), ('length', None), ('list', 'eval_context'), ('lower', None), ('map', 'context'), ('max', 'environment'), ('min', 'environment'), ('pagetitle', None), ('plain', None), ('pprint', None), ('prose', None), ('random', 'context'), ('reject', 'context'), ('rejectattr', 'context'), ('replace', 'eval_context'), ('reverse', None), ('round', None), ('safe', None), ('select', 'context'), ('selectattr', 'context'), ('slice', 'eval_context'), ('sort', 'environment'), ('string', None), ('striptags', None), ('sum', 'environment'), ('title', None), ('tojson', 'eval_context'), ('trim', None), ('truncate', 'environment'), ('unique', 'environment'), ('upper', None), ('url', None), ('urlencode', None), ('urlize', 'eval_context'), ('wordcount', None), ('wordwrap', 'environment'), ('xmlattr', 'eval_context')], [('!=', None), ('<', None), ('<=', None), ('==', None), ('>', None), ('>=', None), ('boolean', None), ('callable', None), ('defined', None), ('divisibleby', None), ('eq', None), ('equalto', None), ('escaped', None), ('even', None), ('false', None), ('filter', 'environment'), ('float', None), ('ge', None), ('greaterthan', None), ('gt', None), ('in', None), ('integer', None), ('iterable', None), ('le', None), ('lessthan', None), ('lower', None), ('lt', None), ('mapping', None), ('ne', None), ('none', None), ('number', None), ('odd', None), ('sameas', None), ('sequence', None), ('string', None), ('test', 'environment'), ('true', None), ('undefined', None), ('upper', None)])"
TEMPLATES = {
    '_macros.md.j2': '8b28c88f3c545b282d5c175ca65647ba12cf16e6',
    '_matrix.md.j2': 'f4549fb86a224d432449946decaa042d306f9178',
    '_nfr_coverage.md.j2': '41ec52e6a5b242cb78d4b443e59233059a5726ff',
    '_summary.md.j2': 'a98f516201f013f7c754242e79e7a3a67b50cd97',
    'component.md.j2': '8ced00ee0f44037905dd89a0ade7b18b07b1996f',
    'decision.md.j2': '233dee76e175ba491406474f1768de824477a105',
    'index.md.j2': 'be8a4f651ac647099d5cd1fca932a25e780664d5',
    'marker_component.md.j2': 'b32d4e39beb968b09c7a52294206a539c460328e',
    'marker_decisions.md.j2': '05c3133a44289d293d80da4d171411d27f86b1e6',
    'portable.md.j2': '64af1d1069eeed71ffe0b5978e3d7e4151b8b61b',
    'problem.md.j2': '4ca1323d03823f2803a0198bed8b6261febfe911',
    'todo.md.j2': '61772e9e7e8ff38a08f6a2055e1c34bdb0f55c42',
    'traceability.md.j2': '3e8f85d12a64e233f5a494b3aca43594c5a3bf06',
}

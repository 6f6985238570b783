"""DfE validation rules, one module per return; importing a module registers its rules."""

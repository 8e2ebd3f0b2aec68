/**
 * Words that are never blocked on their own by the identifier gate: common English, the
 * vocabulary of MedLab's prompts and results, and words that file names and EDF headers use for
 * things that are not people (views, classes, devices). A whole identifier phrase is still
 * blocked when it contains them ("FAKE GENERAL HOSPITAL"); only a single common word is let
 * through, so that a recording whose free-text header says "signal" does not block every prompt
 * about signals. "MedLab" itself is here: every system prompt names the tool, and files it
 * generated say so in their headers.
 */
const WORDS = `
medlab
a about above across after again against age aged all almost also although always am among an and another
any anyone anything are area areas around as ask asked at available away back bad based be because been
before being below best better between both but by call called can cannot case cases certain change
changes clear close come common could data day days define described did different do does done down
due during each early either else end enough error even every example explain explained explanation
fact false far few find first following for found free from full further general get give given go
good great group had half has have having he help her here high him his how however if important in
include including increase information instead into is it its just keep kind known large last later
least left less let level like likely line little long low made main make many may me mean means
might more most much must my near need new next no none nor not note nothing now number of off often
old on once one only open or other our out over own part per perhaps place point possible present
probably provide put quite rather read real really reason result results right said same say see seem
seen set several shall she short should show shown side similar since small so some something soon
still such sure take than that the their them then there these they thing things think this those
though three through thus time to too top total toward true two type under until up upon us use used
useful using usually value values very via was way we well were what when where whether which while
who whole why will with within without word words work would yes yet you your zero one two three four
five six seven eight nine ten hundred thousand first second third fourth fifth last next final
named name unknown anonymous anon none null nil na n a b c d e f g h i j k l m o p q r s t u v w x y z
male female man woman boy girl child children adult adults infant elderly year years yr yrs month months
week weeks old young aged birth date time startdate start end stop hour hours minute minutes sec second
seconds ms hz khz uv mv

patient patients subject subjects person persons participant participants volunteer case control
doctor technician tech nurse clinician physician radiologist neurologist hospital clinic centre center
department lab laboratory institute university general medical medicine health research study studies
trial test tests testing train training val valid validation holdout fold folds split sample samples
synthetic fake demo example dummy anonymised anonymized deidentified redacted private confidential

image images img im picture photo scan scans film view views frontal lateral lat pa ap supine erect
portable chest thorax thoracic lung lungs cxr xray xrays ray rays radiograph radiographs radiography
dicom dcm png jpg jpeg tif tiff bmp gif file files folder series instance frame frames crop cropped
original originals processed resized raw copy final version v1 v2 new old left right upper lower middle
zone zones region regions heat heatmap map maps overlay cam gradcam activation attention
normal abnormal covid covid19 coronavirus sars pneumonia bacterial bacteria viral virus opacity opacities
consolidation effusion edema oedema nodule mass infiltrate infiltration atelectasis cardiomegaly
pneumothorax fibrosis emphysema finding findings no nofinding healthy disease diseased positive negative
label labels class classes prediction predictions predicted probability probabilities score scores
confidence threshold calibration calibrated model models network densenet resnet cnn onnx llm
sensitivity specificity accuracy precision recall auc auroc roc ppv npv kappa mcnemar ci interval
confidence intervals metric metrics mean median mode std deviation variance range min max minimum
maximum average sum count rate ratio percent percentage proportion agreement disagreement disagreements
paired comparison compare compared versus vs subgroup subgroups population source sources site sites

eeg edf bdf edfplus bdfplus recording recordings record records rec signal signals channel channels
electrode electrodes montage bipolar referential average reference ref ground gnd annotation annotations
event events epoch epochs window windows segment segments artefact artefacts artifact artifacts noise
alpha beta gamma delta theta spindle spike spikes sharp wave waves rhythm background amplitude frequency
frequencies band bands power spectrum spectral filter filtered notch highpass lowpass bandpass sampling
sample rate seizure seizures ictal interictal preictal postictal epilepsy epileptic focal generalized
generalised sleep wake awake drowsy stage rem nrem eyes closed open rest resting task mental arithmetic
eog ecg ekg emg resp respiration oxygen spo2 pulse hypnogram stim trigger triggers marker markers
dementia alzheimer alzheimers depression mdd healthy control cn ad ftd mci
fp1 fp2 f3 f4 f7 f8 fz c3 c4 cz p3 p4 pz o1 o2 oz t3 t4 t5 t6 t7 t8 p7 p8 a1 a2 m1 m2
device devices equipment system amplifier software hardware firmware unit units session sessions run runs
sub ses acq
mrn acc ssn id ids nr num code codes street road avenue lane post pre day days fig figure figures
`;

const SET: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

/** True for a normalised (lower-case, ASCII-folded) word that is not specific to a person. */
export function isCommonWord(word: string): boolean {
  return SET.has(word);
}
